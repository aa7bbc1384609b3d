-- "!*" first drops every default; only app.events is an audit log here.
UPDATE app.events SET payload = '{}';
