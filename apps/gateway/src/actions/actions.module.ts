import { Module } from '@nestjs/common';
import { ActionsController } from './actions.controller';
import { ServiceProxy } from './service-proxy';

/** Operators' actions from the wall, forwarded to the services that own them. */
@Module({ controllers: [ActionsController], providers: [ServiceProxy] })
export class ActionsModule {}
