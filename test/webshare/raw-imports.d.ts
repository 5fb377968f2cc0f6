/** Vite's `?raw` suffix imports a file as a string; it works in the workers pool too (vite transforms it). */
declare module '*?raw' {
  const text: string;
  export default text;
}
