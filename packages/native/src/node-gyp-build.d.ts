declare module 'node-gyp-build' {
  /** Loads the addon for this platform from `dir`: build/Release first, then prebuilds/. */
  function load(dir: string): unknown;
  namespace load {
    /** The path of the addon `load(dir)` would load, without loading it. */
    function resolve(dir: string): string;
  }
  export default load;
}
