import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { TicketPresenter } from './ticket.presenter';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

@Module({
  imports: [SettingsModule],
  controllers: [TicketsController],
  providers: [TicketsService, TicketPresenter],
})
export class TicketsModule {}
