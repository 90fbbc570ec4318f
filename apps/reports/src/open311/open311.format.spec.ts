import { OPEN311_DOCUMENTS, open311FormatOf, serializeOpen311 } from './open311.format';

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

describe(serializeOpen311.name, () => {
  const sut = serializeOpen311;

  it('writes a list as the spec container with one element per item', () => {
    const services = [
      { service_code: 'trees', metadata: false, keywords: '' },
      { service_code: 'lights', metadata: true, keywords: 'a, b' },
    ];

    expect(sut(OPEN311_DOCUMENTS.services, services, 'xml')).toEqual({
      contentType: 'text/xml; charset=utf-8',
      body:
        `${DECLARATION}<services>` +
        '<service><service_code>trees</service_code><metadata>false</metadata><keywords/></service>' +
        '<service><service_code>lights</service_code><metadata>true</metadata><keywords>a, b</keywords></service>' +
        '</services>',
    });
  });

  it('writes nested lists with the spec item names, null as an empty element and numbers as text', () => {
    const discovery = {
      changeset: null,
      endpoints: [{ formats: ['text/xml', 'application/json'], order: 1.5 }],
    };

    expect(sut(OPEN311_DOCUMENTS.discovery, discovery, 'xml').body).toBe(
      `${DECLARATION}<discovery><changeset/><endpoints><endpoint>` +
        '<formats><format>text/xml</format><format>application/json</format></formats><order>1.5</order>' +
        '</endpoint></endpoints></discovery>',
    );
  });

  it('writes empty lists as empty containers', () => {
    expect(sut(OPEN311_DOCUMENTS.serviceRequests, [], 'xml').body).toBe(`${DECLARATION}<service_requests/>`);
    expect(sut(OPEN311_DOCUMENTS.serviceDefinition, { service_code: 'x', attributes: [] }, 'xml').body).toBe(
      `${DECLARATION}<service_definition><service_code>x</service_code><attributes/></service_definition>`,
    );
  });

  it.each([
    ['markup', '<b>&"\'', '&lt;b&gt;&amp;&quot;&apos;'],
    ['a C0 control', 'a\u0001b\u001fc', 'a\uFFFDb\uFFFDc'],
    ['a lone surrogate', 'a\uD800b', 'a\uFFFDb'],
    ['tabs, new lines and astral characters', 'a\tb\nc 🚧', 'a\tb\nc 🚧'],
  ])('keeps the XML well-formed with %s in a text', (_case, text, written) => {
    expect(sut(OPEN311_DOCUMENTS.errors, [{ code: 400, description: text }], 'xml').body).toBe(
      `${DECLARATION}<errors><error><code>400</code><description>${written}</description></error></errors>`,
    );
  });

  it('writes JSON from the same value, untouched', () => {
    const value = [{ service_request_id: 'HP-1', lat: 20.86, status_notes: null }];

    expect(sut(OPEN311_DOCUMENTS.serviceRequests, value, 'json')).toEqual({
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify(value),
    });
  });

  it('refuses a list the spec names no item element for', () => {
    expect(() => sut(OPEN311_DOCUMENTS.discovery, { unknown_list: ['x'] }, 'xml')).toThrow(
      'Open311 list unknown_list has no item element',
    );
  });
});

describe(open311FormatOf.name, () => {
  it.each([
    ['/open311/v2/services.xml', 'xml'],
    ['/open311/v2/services.xml?jurisdiction_id=a.json', 'xml'],
    ['/open311/v2/services.json?x=.xml', 'json'],
    ['/open311/v2/services', 'json'],
  ])('reads %s as %s', (url, format) => {
    expect(open311FormatOf(url)).toBe(format);
  });
});
