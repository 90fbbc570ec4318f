import { ApiProperty } from '@nestjs/swagger';

export class OutcomeCountsResponse {
  @ApiProperty({ description: '2xx answers, or events Kafka acknowledged' })
  accepted!: number;

  @ApiProperty({ description: '4xx answers: the service refused what was sent' })
  refused!: number;

  @ApiProperty({ description: 'No answer, a 5xx, or the broker unavailable' })
  failed!: number;

  @ApiProperty({
    description: 'Not sent: no API key, or the report acted on was never registered or is a duplicate',
  })
  skipped!: number;
}

export class InterfaceCountsResponse {
  @ApiProperty({ type: OutcomeCountsResponse, description: '`POST /reports` of the reports service' })
  'reports.rest'!: OutcomeCountsResponse;

  @ApiProperty({ type: OutcomeCountsResponse, description: 'Open311 `POST requests.json`' })
  'reports.open311'!: OutcomeCountsResponse;

  @ApiProperty({ type: OutcomeCountsResponse, description: 'Citizen endpoints (confirm, reopen, rate)' })
  'reports.citizen'!: OutcomeCountsResponse;

  @ApiProperty({
    type: OutcomeCountsResponse,
    description: 'Agency endpoints (acknowledge, start, resolve, decline)',
  })
  'reports.agency'!: OutcomeCountsResponse;

  @ApiProperty({ type: OutcomeCountsResponse, description: "Events over intake's HTTP ingest" })
  'intake.http'!: OutcomeCountsResponse;

  @ApiProperty({ type: OutcomeCountsResponse, description: 'Events published straight to Kafka' })
  kafka!: OutcomeCountsResponse;
}

/** What the simulator has done so far. */
export class SimulationStatusResponse {
  @ApiProperty({ description: 'Whether the simulation is running (SIMULATOR_ENABLED, not yet at its end)' })
  running!: boolean;

  @ApiProperty({ description: 'The city simulated' })
  city!: string;

  @ApiProperty({ description: 'Seed of the scenario' })
  seed!: number;

  @ApiProperty({ description: 'Simulated seconds per real second' })
  speed!: number;

  @ApiProperty({ description: 'Simulated time reached, e.g. `day 0 08:05` (local time of the city)' })
  scenarioTime!: string;

  @ApiProperty({ description: 'How far behind its schedule the simulator performs actions, in milliseconds' })
  lagMs!: number;

  @ApiProperty({
    description: 'Actions performed (a heartbeat or traffic tick is one action of many events)',
  })
  performed!: number;

  @ApiProperty({ description: 'Reports the reports service registered for the simulator' })
  reportsRegistered!: number;

  @ApiProperty({ type: InterfaceCountsResponse, description: 'Counts by interface and outcome' })
  interfaces!: InterfaceCountsResponse;
}
