import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import nodeGypBuild from 'node-gyp-build';
import { PcapError, LIBPCAP_INSTALL_HINT, native } from './errors.js';
import type { NativeBinding } from './native.js';

let loaded: NativeBinding | undefined;
let failure: PcapError | undefined;

/** The package root: one level above src/ (tests) or dist/ (published). */
function packageRoot(): string {
  return fileURLToPath(new URL('..', import.meta.url));
}

/**
 * The compiled addon, loaded on first use so that importing this package never fails:
 * a platform without a prebuild or libpcap only errors when capture is attempted.
 * `PCAP_NATIVE_ADDON=/path/to/pcap_native.node` loads that file instead, e.g. a build with
 * AddressSanitizer (scripts/asan.mjs) that must not replace the normal one.
 */
export function binding(): NativeBinding {
  if (loaded) return loaded;
  if (failure) throw failure;
  const override = process.env.PCAP_NATIVE_ADDON;
  try {
    loaded = (override ? createRequire(import.meta.url)(override) : nodeGypBuild(packageRoot())) as NativeBinding;
    return loaded;
  } catch (err) {
    failure = new PcapError(
      'BINDING_MISSING',
      override
        ? `PCAP_NATIVE_ADDON=${override} could not be loaded (${err instanceof Error ? err.message : String(err)}); unset it to use the package's own addon`
        : `@pcap/native has no compiled addon for ${process.platform}-${process.arch} ` +
        `(node ${process.versions.node}, N-API ${process.versions.napi}): ` +
        'reinstall with a C++ toolchain and Python so it builds from source (npm rebuild @pcap/native)',
      { cause: err },
    );
    throw failure;
  }
}

/** The addon, with libpcap known to be loadable; otherwise a LIBPCAP_MISSING PcapError. */
export function pcap(): NativeBinding {
  const b = binding();
  const info = b.libraryInfo();
  if (!info.loaded) {
    throw new PcapError(
      'LIBPCAP_MISSING',
      `libpcap could not be loaded (${info.error.replace(/;\s*$/, '')}); ${LIBPCAP_INSTALL_HINT}`,
      { pcapMessage: info.error },
    );
  }
  return b;
}

/** Facts about the libpcap in use. */
export interface LibraryInfo {
  /** Whether libpcap could be loaded. */
  loaded: boolean;
  /** The file name that was loaded (e.g. `libpcap.so.0.8`), or '' if none. */
  library: string;
  /** Why loading failed, or ''. */
  error: string;
  /** pcap_lib_version(), e.g. `libpcap version 1.10.3 (with TPACKET_V3)`, or null. */
  version: string | null;
  /** Which optional libpcap features this library provides. */
  features: {
    immediateMode: boolean;
    nanosecondTimestamps: boolean;
    timestampType: boolean;
    appendDump: boolean;
    selectableFd: boolean;
  };
}

/** What was loaded; never throws for a missing libpcap (see `loaded`), only for a missing addon. */
export function libraryInfo(): LibraryInfo {
  return native({}, () => binding().libraryInfo());
}

/** pcap_lib_version(): the libpcap version string. */
export function libVersion(): string {
  return native({}, () => pcap().libraryInfo().version ?? '');
}
