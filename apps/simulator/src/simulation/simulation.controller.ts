import { ApiErrorResponses } from '@ioc/observability';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SimulationStatusResponse } from './simulation-status.response';
import { SimulationService } from './simulation.service';

@ApiTags('simulation')
@Controller('simulation')
export class SimulationController {
  constructor(private readonly simulation: SimulationService) {}

  @Get()
  @ApiOperation({ summary: 'What the simulator has sent so far, by interface and outcome' })
  @ApiOkResponse({ type: SimulationStatusResponse })
  @ApiErrorResponses(500)
  status(): SimulationStatusResponse {
    return this.simulation.status();
  }
}
