export { type PlatformConfig, servicePlatform, type ServicePlatformOptions } from './service-platform';
