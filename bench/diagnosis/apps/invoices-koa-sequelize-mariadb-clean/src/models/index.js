'use strict';

const { Sequelize, DataTypes } = require('sequelize');

const config = {
  host: process.env.MYSQL_HOST || '127.0.0.1',
  port: Number(process.env.MYSQL_PORT || 3306),
  username: process.env.MYSQL_USER || 'root',
  password: process.env.MYSQL_PASSWORD || '',
  database: process.env.MYSQL_DATABASE || 'diag_invoices-koa-sequelize-mariadb-clean',
};

const sequelize = new Sequelize(config.database, config.username, config.password, {
  host: config.host,
  port: config.port,
  dialect: 'mysql',
  logging: false,
  pool: { max: 10, min: 0, idle: 10000 },
  define: { underscored: true },
});

const Customer = sequelize.define('Customer', {
  id: { type: DataTypes.INTEGER.UNSIGNED, primaryKey: true, autoIncrement: true },
  name: { type: DataTypes.STRING(160), allowNull: false },
  email: { type: DataTypes.STRING(200), allowNull: false, unique: true },
  vatNumber: { type: DataTypes.STRING(32) },
  country: { type: DataTypes.CHAR(2), allowNull: false },
}, { tableName: 'customers' });

const Invoice = sequelize.define('Invoice', {
  id: { type: DataTypes.INTEGER.UNSIGNED, primaryKey: true, autoIncrement: true },
  number: { type: DataTypes.STRING(20), allowNull: false, unique: true },
  customerId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
  status: { type: DataTypes.ENUM('draft', 'open', 'paid', 'void'), allowNull: false, defaultValue: 'draft' },
  currency: { type: DataTypes.CHAR(3), allowNull: false, defaultValue: 'EUR' },
  subtotalCents: { type: DataTypes.INTEGER, allowNull: false },
  taxCents: { type: DataTypes.INTEGER, allowNull: false },
  issuedAt: { type: DataTypes.DATE, allowNull: false },
  dueAt: { type: DataTypes.DATE, allowNull: false },
  paidAt: { type: DataTypes.DATE },
  notes: { type: DataTypes.TEXT },
}, {
  tableName: 'invoices',
  indexes: [
    { name: 'invoices_status_issued_at_idx', fields: ['status', 'issued_at'] },
    { name: 'invoices_customer_id_idx', fields: ['customer_id'] },
  ],
});

Customer.hasMany(Invoice, { as: 'invoices', foreignKey: 'customerId' });
Invoice.belongsTo(Customer, { as: 'customer', foreignKey: 'customerId' });

module.exports = { sequelize, config, Customer, Invoice };
