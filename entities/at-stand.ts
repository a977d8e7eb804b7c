/**
 * A field one GIS stand gives an object — its GUIDs, unique numbers, ЕЛС/ИЖКУ/ИПД, its sync state
 * with that stand. It is not a column of the object's table: it lives in gis_identity, one row per
 * (object, stand), and is filled in when the object is loaded for a stand
 * (src/storage/identity/store.ts: loadAt, hydrate). Reading it on an object loaded without a stand
 * throws, so no code can take "never loaded" for "not in GIS"; assigning it (hydrating, or building
 * an object in memory) makes it an ordinary own property.
 */
export function AtStand(): PropertyDecorator {
  return (target, key) => {
    const name = `${target.constructor.name}.${String(key)}`;
    Object.defineProperty(target, key, {
      configurable: true,
      enumerable: false,
      get(): never {
        throw new Error(`${name} belongs to a GIS stand: load the object for a stand (src/storage/identity/store.ts loadAt/hydrate)`);
      },
      set(value: unknown) {
        Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
      },
    });
  };
}
