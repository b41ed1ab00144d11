import type { Config } from "@react-router/dev/config";

// Server rendering is essential: citizen pages must work without JavaScript.
// The v8_* flags opt in to React Router 8 behaviour now (and silence the build warnings);
// v8_middleware is what the i18n and security middleware in app/root.tsx rely on.
export default {
  ssr: true,
  future: {
    v8_middleware: true,
    v8_splitRouteModules: true,
    v8_viteEnvironmentApi: true,
    v8_passThroughRequests: true,
    v8_trailingSlashAwareDataRequests: true,
  },
} satisfies Config;
