import { Injectable } from '@nestjs/common';
import { Customer } from '../customers/customer.entity';
import { CustomersRepository } from '../customers/customers.repository';

export interface CustomerExportRow {
  id: number;
  ref: string;
  company: string;
  contact: string;
  email: string;
  phone: string | null;
  address: { line: string; city: string; postalCode: string; country: string };
  segment: string;
  lifetimeValue: number;
  createdAt: string;
}

export interface CustomerExport {
  generatedAt: string;
  count: number;
  nextAfter: number | null;
  customers: CustomerExportRow[];
}

@Injectable()
export class ExportService {
  constructor(private readonly customers: CustomersRepository) {}

  async exportCustomers(afterId: number, limit: number, segment?: string): Promise<CustomerExport> {
    const rows = await this.customers.findPageForExport({ afterId, limit, segment });
    return {
      generatedAt: new Date().toISOString(),
      count: rows.length,
      nextAfter: rows.length === limit ? rows[rows.length - 1].id : null,
      customers: rows.map(toExportRow),
    };
  }
}

function toExportRow(c: Customer): CustomerExportRow {
  return {
    id: c.id,
    ref: c.externalRef,
    company: c.companyName,
    contact: c.contactName,
    email: c.email,
    phone: c.phone,
    address: { line: c.addressLine, city: c.city, postalCode: c.postalCode, country: c.countryCode },
    segment: c.segment,
    lifetimeValue: c.lifetimeValueCents / 100,
    createdAt: c.createdAt.toISOString(),
  };
}
