import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { DATA_SOURCE } from '../database/database.providers';
import { OrganizationSettings } from './organization-settings.entity';

export const ORGANIZATION_ID = 1;

@Injectable()
export class SettingsService {
  private readonly repo: Repository<OrganizationSettings>;

  constructor(@Inject(DATA_SOURCE) dataSource: DataSource) {
    this.repo = dataSource.getRepository(OrganizationSettings);
  }

  async getOrganizationSettings(): Promise<OrganizationSettings> {
    const settings = await this.repo.findOneBy({ id: ORGANIZATION_ID });
    if (!settings) {
      throw new NotFoundException('organization settings are missing');
    }
    return settings;
  }

  async update(patch: Partial<Pick<OrganizationSettings, 'timezone' | 'firstResponseHours' | 'urgentResponseHours'>>) {
    await this.repo.update({ id: ORGANIZATION_ID }, patch);
    return this.getOrganizationSettings();
  }
}
