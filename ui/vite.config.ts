import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The built UI is served by the gateway at <mount>/ui/; relative asset URLs keep it mount-path independent.
export default defineConfig({
  base: "./",
  plugins: [react()],
  build: {
    outDir: "../packages/inspector-gateway/src/inspector_gateway/static",
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    target: "es2022",
  },
  worker: { format: "es" },
  server: {
    proxy: { "/_inspector/": { target: "http://127.0.0.1:7800", changeOrigin: false } },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
