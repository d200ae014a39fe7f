/** Placeholder tokens of the templates: `__word__`, in file contents and file names. */
const TOKEN = /__([A-Za-z][A-Za-z0-9_]*?)__/g;

/**
 * Replaces every token of `text` by its value. A token without a value is a mistake in the
 * templates, so it throws rather than leave `__x__` in a generated file.
 */
export function render(text: string, values: Readonly<Record<string, string>>, where: string): string {
  return text.replace(TOKEN, (token, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${where}: unknown template token ${token}`);
    return value;
  });
}
