import { Module } from '@nestjs/common';
import { LiveGateway } from './live.gateway';
import { LiveHub } from './live-hub';

/** The live push: the reader of the live topics and its fan-out, and the Socket.IO namespace clients use. */
@Module({ providers: [LiveHub, LiveGateway] })
export class LiveModule {}
