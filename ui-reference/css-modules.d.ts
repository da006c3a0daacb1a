// Type of a CSS Module import in this folder's type-check; bundlers (Vite, Next, esbuild
// with a CSS-modules plugin) supply the real class map at build time.
declare module '*.module.css' {
  const classes: { readonly [className: string]: string };
  export default classes;
}
