import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { register } from 'prom-client';
import { ApiErrorResponses } from '../bootstrap/api-error-responses';
import { PublicRoute } from '../public-route';

/** Prometheus scrape endpoint (text exposition format). */
@Controller('metrics')
export class MetricsController {
  @Get()
  @PublicRoute()
  @Header('Content-Type', register.contentType)
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(500)
  async scrape(): Promise<string> {
    return register.metrics();
  }
}
