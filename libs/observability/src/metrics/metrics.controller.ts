import { Controller, Get, Header } from '@nestjs/common';
import { register } from 'prom-client';
import { PublicRoute } from '../public-route';

/** Prometheus scrape endpoint (text exposition format). */
@Controller('metrics')
export class MetricsController {
  @Get()
  @PublicRoute()
  @Header('Content-Type', register.contentType)
  async scrape(): Promise<string> {
    return register.metrics();
  }
}
