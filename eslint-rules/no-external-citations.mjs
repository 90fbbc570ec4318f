// Comments cite only what a reader of this repository can open: a rule the code leans on is written in docs/
// (docs/architecture.md and each service's README) and cited by its section, or the comment states its reason
// itself. Design notes, conventions and issue trackers outside the repository are not cited.
// Public upstream references (`npm/cli#8805`, a KIP or RFC number) are fine: they are stable and open to anyone.

/** What a citation of a document outside the repository looks like, with the reason each is refused. */
export const EXTERNAL_CITATIONS = [
  { pattern: /\bDESIGN\b/, what: '"DESIGN"' },
  { pattern: /\bCONVENTIONS\b/, what: '"CONVENTIONS"' },
  { pattern: /\.\.\/shared\//, what: '"../shared/"' },
  { pattern: /\bissues? #?\d+/i, what: 'an issue number' },
  { pattern: /\(#\d+\)/, what: 'an issue number' },
];

/** The external citations in `text`, each as the matched text and what it cites. */
export function externalCitations(text) {
  const found = [];
  for (const { pattern, what } of EXTERNAL_CITATIONS) {
    const match = pattern.exec(text);
    if (match) found.push({ text: match[0].trim(), what });
  }
  return found;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noExternalCitations = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Disallow comments that cite documents or issues outside the repository' },
    schema: [],
    messages: {
      external:
        'This comment cites "{{text}}", which is not in this repository: cite the section of docs/ that states ' +
        'the rule (docs/architecture.md, "Time") or state the reason in the comment.',
    },
  },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          for (const { text, what } of externalCitations(comment.value)) {
            context.report({ loc: comment.loc, messageId: 'external', data: { what, text } });
          }
        }
      },
    };
  },
};

/** The local ESLint plugin that carries the rule (`local/no-external-citations`). */
export default { rules: { 'no-external-citations': noExternalCitations } };
