// Incident 3: connection strings with passwords kept in the sync scripts.
const { Client } = require('pg');

const cloud = new Client('postgres://sync:Winter2024@ledger-prod.internal:5432/ledger');
const desktop = new Client({ host: 'localhost', user: 'postgres', password: 'postgres', database: 'ledger' });
// Run as: PGPASSWORD=Winter2024 node sync.js
module.exports = { cloud, desktop };
