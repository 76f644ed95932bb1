/** The version of `@vlp/cli`, injected at build time. */
export const VERSION: string = typeof __VLP_VERSION__ === 'string' ? __VLP_VERSION__ : '0.0.0-dev';
declare const __VLP_VERSION__: string | undefined;
