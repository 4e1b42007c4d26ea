import { describe, expect, it } from 'vitest';
import { addUnread, flashTitle, parseEngagement, parseUnread, previewText, readStored, teaserText, writeStored } from './loader-attention.ts';

describe('previewText', () => {
  it('turns a Markdown reply into one plain line', () => {
    expect(previewText('**Pro** costs *29 dollars* [1].\n\n- monthly\n- see [pricing](https://acme.example)')).toBe(
      'Pro costs 29 dollars . monthly see pricing',
    );
  });

  it('cuts long text on a word with an ellipsis, and keeps right-to-left text as it is', () => {
    const long = 'The Pro plan costs twenty-nine dollars per month and includes everything in Starter plus priority support.';
    const preview = previewText(long, 40);
    expect(preview.length).toBeLessThanOrEqual(40);
    expect(preview).toBe('The Pro plan costs twenty-nine dollars…');
    expect(previewText('مرحبا، كيف يمكنني المساعدة؟')).toBe('مرحبا، كيف يمكنني المساعدة؟');
  });
});

describe('unread', () => {
  it('counts messages and keeps the last one for the preview, up to 99', () => {
    const one = addUnread(null, 'Grace', 'Hi, **Grace** here.');
    expect(one).toEqual({ count: 1, author: 'Grace', text: 'Hi, Grace here.' });
    expect(addUnread(one, 'Pip', 'The Pro plan')).toEqual({ count: 2, author: 'Pip', text: 'The Pro plan' });
    expect(addUnread({ count: 99, author: '', text: '' }, 'Pip', 'x').count).toBe(99);
  });

  it('reads back only what it wrote; corrupt or blocked storage means nothing unread', () => {
    expect(parseUnread(JSON.stringify({ count: 2, author: 'Grace', text: 'Hi' }))).toEqual({ count: 2, author: 'Grace', text: 'Hi' });
    for (const stored of [null, '', '{', '{"count":0,"author":"","text":""}', '{"count":"2"}']) expect(parseUnread(stored)).toBeNull();
    const blocked = () => {
      throw new Error('SecurityError');
    };
    expect(readStored(blocked, 'k')).toBeNull();
    expect(() => writeStored(blocked, 'k', 'v')).not.toThrow();
  });

  it('flashes the count, the author and the start of the message in the title', () => {
    expect(flashTitle(2, 'Grace', 'Hi, Grace here. How can I help you with your order today, and anything else?')).toBe(
      '(2) Grace: Hi, Grace here. How can I help you with your order today,…',
    );
    expect(flashTitle(1, '', 'Hello')).toBe('(1) Hello');
  });
});

describe('teaser', () => {
  const engagement = parseEngagement({
    teaser: { text: 'Hi! Questions?', delaySeconds: 5, pages: [{ include: ['/pricing*'], text: 'Which plan suits you?' }, { include: 'bad', text: 'x' }] },
    sound: true,
  });

  it('reads the config, dropping malformed per-page entries', () => {
    expect(engagement).toEqual({
      teaser: { text: 'Hi! Questions?', delaySeconds: 5, pages: [{ include: ['/pricing*'], text: 'Which plan suits you?' }] },
      sound: true,
    });
    expect(parseEngagement(undefined)).toEqual({ teaser: null, sound: false });
    expect(parseEngagement({ teaser: { text: '', delaySeconds: 1 }, sound: 'yes' })).toEqual({ teaser: null, sound: false });
  });

  it('says the per-page text on matching pages and the bot teaser elsewhere', () => {
    expect(teaserText(engagement.teaser!, 'https://shop.example/pricing')).toBe('Which plan suits you?');
    expect(teaserText(engagement.teaser!, 'https://shop.example/')).toBe('Hi! Questions?');
  });
});
