/** A GUID made of a number, for readable fixtures: G(7) = 00000000-0000-4000-8000-000000000007. */
export const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
