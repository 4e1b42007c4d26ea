// The fields of a Message every operation selects; its own module so lazy chunks (stored-history.ts)
// can share it without importing the transport.

export const MESSAGE_FIELDS = `
  id
  role
  text
  createdAt
  authorName
  sources {
    marker
    documentTitle
    sectionPath
    page
    snippet
    url
  }
`;
