/** The cheapest statement that needs an answer from the server, for a dialect name (`oracle`, `postgres`, …). */
export function roundTripQuery(dialect: unknown): string {
  const name = typeof dialect === 'string' ? dialect.toLowerCase() : '';
  if (name.includes('oracle')) return 'SELECT 1 FROM DUAL';
  if (name === 'sap' || name.includes('hana')) return 'SELECT 1 FROM DUMMY';
  if (name === 'db2' || name === 'ibmi')
    return 'SELECT 1 FROM SYSIBM.SYSDUMMY1';
  return 'SELECT 1';
}

/** A server's name for messages, from the dialect names ORMs and drivers use. */
export function serverKind(dialect: unknown): string {
  const name = typeof dialect === 'string' ? dialect.toLowerCase() : '';
  if (/postgres|^pg|cockroach|redshift/.test(name)) return 'postgres';
  if (name.includes('maria')) return 'mariadb';
  if (name.includes('mysql')) return 'mysql';
  if (/mssql|sqlserver/.test(name)) return 'sql server';
  if (/sqlite|libsql|sqljs|capacitor|cordova|expo|nativescript/.test(name)) {
    return 'sqlite';
  }
  if (name.includes('oracle')) return 'oracle';
  return name || 'the database';
}
