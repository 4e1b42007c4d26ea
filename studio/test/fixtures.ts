/** A small knowledge document for Studio tests: two sections, facts a question can be checked against. */
export const HANDBOOK = `# Acme Cloud handbook
## Pricing
The Pro plan costs 29 dollars per month and includes unlimited projects.
The Starter plan is free for one project.
## Support
Support is open from 8 am to 8 pm on weekdays. Email help@acme.example for urgent issues.`;

export const utf8 = (value: string) => new TextEncoder().encode(value);
