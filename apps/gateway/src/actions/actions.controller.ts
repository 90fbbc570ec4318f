import { Roles } from '@ioc/auth';
import { ApiErrorResponses, ErrorBodyDto } from '@ioc/observability';
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ServiceProxy, type Upstream } from './service-proxy';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const relayed = (what: string) =>
  ApiOkResponse({
    description: `${what}, as the owning service answers it`,
    schema: { type: 'object', additionalProperties: true },
  });

const upstreamDown = ApiResponse({
  status: 502,
  description: 'GATEWAY.UPSTREAM_UNAVAILABLE: the owning service is down, too slow or failed',
  type: ErrorBodyDto,
});

const anyBody = ApiBody({
  required: false,
  description: 'Relayed as is; the owning service validates it (see its own API)',
  schema: { type: 'object', additionalProperties: true },
});

/**
 * Operators' actions from the wall, forwarded to the service that owns the resource with the caller's own token:
 * the gateway decides nothing, the service answers (its 4xx bodies are relayed as they are).
 */
@ApiTags('actions')
@ApiBearerAuth()
@ApiErrorResponses(401, 403, 404, 409, { status: 400, description: 'The owning service refused the input' })
@Roles('operator', 'agency')
@Controller('api')
export class ActionsController {
  constructor(private readonly proxy: ServiceProxy) {}

  @Post('incidents/:id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge an incident (intake `POST /incidents/{id}/acknowledge`)' })
  @relayed('The incident')
  @upstreamDown
  acknowledgeIncident(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forward(res, req, 'intake', `incidents/${id}/acknowledge`, id, {});
  }

  @Post('incidents/:id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign an incident to an agency (intake `POST /incidents/{id}/assign`)' })
  @anyBody
  @relayed('The incident')
  @upstreamDown
  assignIncident(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.forward(res, req, 'intake', `incidents/${id}/assign`, id, body);
  }

  @Post('incidents/:id/clear')
  @HttpCode(200)
  @ApiOperation({ summary: 'Clear an incident (intake `POST /incidents/{id}/clear`)' })
  @anyBody
  @relayed('The incident')
  @upstreamDown
  clearIncident(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.forward(res, req, 'intake', `incidents/${id}/clear`, id, body);
  }

  @Post('reports/:id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign or re-assign a report (reports `POST /operator/reports/{id}/assign`)' })
  @anyBody
  @relayed('The report')
  @upstreamDown
  assignReport(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.forward(res, req, 'reports', `operator/reports/${id}/assign`, id, body);
  }

  private async forward(
    res: Response,
    req: Request,
    upstream: Upstream,
    path: string,
    id: string,
    body: unknown,
  ): Promise<void> {
    // An id that no service would accept is not sent on (nor can it change the path it is put in).
    if (!ID.test(id)) {
      res.status(404).json({
        statusCode: 404,
        code: 'RESOURCE.NOT_FOUND',
        message: 'Not found',
        correlationId: res.getHeader('x-correlation-id') ?? '',
      });
      return;
    }
    const answer = await this.proxy.post(upstream, path, req.headers.authorization ?? '', body);
    res.status(answer.status).json(answer.body);
  }
}
