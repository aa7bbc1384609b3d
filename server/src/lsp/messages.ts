import { Connection, MessageType, ShowMessageNotification } from 'vscode-languageserver/node';

/**
 * A notification the editor shows (`window/showMessage`). A notification, not a `showMessageRequest`: the
 * server never waits for the user, and editors that do not answer requests (or show them as prompts) behave.
 */
export function showMessage(connection: Connection, type: MessageType, message: string): void {
  void connection.sendNotification(ShowMessageNotification.type, { type, message: `Preflight: ${message}` });
}
