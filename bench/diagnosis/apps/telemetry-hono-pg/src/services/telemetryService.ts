import { findDevice } from '../repositories/deviceRepository.js';
import { latestReading, readingsForDevice } from '../repositories/readingRepository.js';
import type { Device, Reading } from '../types.js';

export class DeviceNotFound extends Error {}

export interface DeviceReadings {
  device: Device;
  unit: { temperature: 'C'; humidity: '%'; battery: 'mV'; rssi: 'dBm' };
  readings: Reading[];
}

const UNITS = { temperature: 'C', humidity: '%', battery: 'mV', rssi: 'dBm' } as const;

export async function getDeviceReadings(deviceId: number): Promise<DeviceReadings> {
  const device = await findDevice(deviceId);
  if (!device) throw new DeviceNotFound(`device ${deviceId} not found`);
  const readings = await readingsForDevice(deviceId);
  return { device, unit: UNITS, readings };
}

export async function getDeviceStatus(deviceId: number) {
  const device = await findDevice(deviceId);
  if (!device) throw new DeviceNotFound(`device ${deviceId} not found`);
  const last = await latestReading(deviceId);
  const lowBattery = last ? last.batteryMv < 3300 : false;
  return { device, last, lowBattery };
}
