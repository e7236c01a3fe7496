export interface Device {
  id: number;
  serial: string;
  model: string;
  site: string;
  installedAt: string;
  lastSeenAt: string | null;
}

export interface Reading {
  recordedAt: string;
  temperatureC: number;
  humidityPct: number;
  batteryMv: number;
  rssiDbm: number;
}
