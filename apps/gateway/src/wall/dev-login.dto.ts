import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { DEV_LOGIN_ROLES, type DevLoginAnswer, type DevLoginRole, type WallSettings } from './wall.types';

/** The contract's identifier rule, so a minted `agency_id` is one the services accept. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export class DevLoginRequest {
  @ApiProperty({ enum: DEV_LOGIN_ROLES, description: 'Role of the development token' })
  @IsIn(DEV_LOGIN_ROLES)
  role!: DevLoginRole;

  @ApiPropertyOptional({
    description: 'Agency of an agency token (one of the city data agencies)',
    example: 'AG-SXD',
  })
  @IsOptional()
  @IsString()
  @Matches(IDENTIFIER)
  agencyId?: string;
}

export class DevLoginResponse implements DevLoginAnswer {
  @ApiProperty({
    description: 'A development access token (JWT), for the Authorization header and the socket',
  })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

export class WallSettingsResponse implements WallSettings {
  @ApiProperty({ enum: ['dev', 'jwks'] })
  authMode!: 'dev' | 'jwks';

  @ApiProperty({ description: 'Whether POST /wall/dev-login mints tokens here' })
  devLogin!: boolean;
}
