CREATE TABLE subscription_renewal_reminder_notification_delivery_attempt_logs (
  id bigint,
  "subscription_renewal_reminder_notification_delivery_attempt_count" int
);
