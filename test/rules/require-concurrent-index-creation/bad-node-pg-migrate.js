exports.up = (pgm) => {
  pgm.createIndex('orders', 'customer_id');
  pgm.createIndex('orders', 'number', { unique: true, concurrently: true });
};
