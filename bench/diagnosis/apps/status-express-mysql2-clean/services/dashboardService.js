'use strict';

const services = require('../repositories/serviceRepository');
const incidents = require('../repositories/incidentRepository');
const checks = require('../repositories/checkRepository');
const maintenance = require('../repositories/maintenanceRepository');

const CHECK_WINDOW_MINUTES = 15;
const MAINTENANCE_HORIZON_DAYS = 7;

function toCounts(rows, key) {
  const out = {};
  for (const row of rows) out[row[key]] = Number(row.n);
  return out;
}

function overallStatus(serviceCounts, openIncidents) {
  if ((openIncidents.critical || 0) > 0 || (serviceCounts.down || 0) > 0) return 'major_outage';
  if ((openIncidents.major || 0) > 0 || (serviceCounts.degraded || 0) > 0) return 'degraded';
  return 'operational';
}

async function getDashboard() {
  const [serviceRows, incidentRows, checkSummary, maintenanceSummary] = await Promise.all([
    services.countByStatus(),
    incidents.openCountBySeverity(),
    checks.summarySince(CHECK_WINDOW_MINUTES),
    maintenance.upcomingSummary(MAINTENANCE_HORIZON_DAYS),
  ]);
  const serviceCounts = toCounts(serviceRows, 'status');
  const openIncidents = toCounts(incidentRows, 'severity');
  const total = Number(checkSummary.total);
  return {
    status: overallStatus(serviceCounts, openIncidents),
    services: serviceCounts,
    openIncidents,
    checks: {
      windowMinutes: CHECK_WINDOW_MINUTES,
      total,
      failed: Number(checkSummary.failed),
      successRate: total ? Math.round((1 - Number(checkSummary.failed) / total) * 10000) / 100 : null,
      avgLatencyMs: checkSummary.avgLatencyMs === null ? null : Number(checkSummary.avgLatencyMs),
      maxLatencyMs: checkSummary.maxLatencyMs,
    },
    maintenance: {
      horizonDays: MAINTENANCE_HORIZON_DAYS,
      upcoming: Number(maintenanceSummary.upcoming),
      nextStartsAt: maintenanceSummary.nextStartsAt,
    },
  };
}

module.exports = { getDashboard };
