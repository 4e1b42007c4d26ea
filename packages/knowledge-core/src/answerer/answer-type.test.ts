import { describe, expect, it } from 'vitest';
import { expectedAnswerTypes, holdsAnswerType } from './answer-type.ts';

describe('expectedAnswerTypes', () => {
  it('reads the kind of value a question asks for', () => {
    expect(expectedAnswerTypes('How much is a resident permit?')).toEqual(['money']);
    expect(expectedAnswerTypes('How long does a planning decision take?')).toEqual(['duration']);
    expect(expectedAnswerTypes('What is the phone number of City Hall?')).toContain('phone');
    expect(expectedAnswerTypes('Where do I send a freedom of information request?')).toContain('email');
    expect(expectedAnswerTypes('What is the address of the recycling centre?')).toEqual(['address']);
    expect(expectedAnswerTypes('When do I have to put my bin out?')).toEqual(['date']);
  });

  it('asks for no value in a yes/no question, whatever its clauses say', () => {
    expect(expectedAnswerTypes('Is it OK to charge my battery when it is freezing?')).toEqual([]);
    expect(expectedAnswerTypes('Can I call off my rental?')).toEqual([]);
  });

  it('reads a share from a discount or a loss, and a number from a limit or a "number of"', () => {
    expect(expectedAnswerTypes('How much discount do I get on a new frame?')).toContain('percent');
    expect(expectedAnswerTypes('How much range do I lose in cold weather?')).toContain('percent');
    expect(expectedAnswerTypes('What is the minimum number of bikes for the fleet program?')).toEqual(['count']);
    expect(expectedAnswerTypes('What is the weight limit for a child seat?')).toEqual(['count']);
  });

  it('takes the last sentence for the question: a statement before a yes/no question asks for no value', () => {
    expect(expectedAnswerTypes('I crashed in my helmet. Do I get a discount on a new one?')).toEqual([]);
    expect(expectedAnswerTypes('I crashed in my helmet. How much discount do I get?')).toContain('percent');
  });

  it('does not take "call off" or "charge my battery" for a phone number or a price', () => {
    expect(expectedAnswerTypes('What charge level should the battery be left at?')).not.toContain('money');
    expect(expectedAnswerTypes('What happens if I call off my booking?')).toEqual([]);
    expect(expectedAnswerTypes('Where should I charge my battery?')).not.toContain('money');
  });
});

describe('holdsAnswerType', () => {
  it('finds amounts, durations, times, phone numbers, e-mail and street addresses', () => {
    expect(holdsAnswerType('A swim costs $5.20.', ['money'])).toBe(true);
    expect(holdsAnswerType('Membership is free for residents.', ['money'])).toBe(true);
    expect(holdsAnswerType('We decide within 8 weeks.', ['duration'])).toBe(true);
    expect(holdsAnswerType('Open daily 8:30 a.m. to 5 p.m.', ['time'])).toBe(true);
    expect(holdsAnswerType('Call 555-0170 to book.', ['phone'])).toBe(true);
    expect(holdsAnswerType('Write to foi@larkfield.example.', ['email'])).toBe(true);
    expect(holdsAnswerType('Address: 1 Civic Square, Larkfield LK1 2AA', ['address'])).toBe(true);
    expect(holdsAnswerType('Fleet customers get 12 percent off.', ['percent'])).toBe(true);
    expect(holdsAnswerType('Range drops by up to 30% in the cold.', ['percent'])).toBe(true);
    // A share is not a price: "60 percent of its capacity" does not say what a battery costs.
    expect(holdsAnswerType('A battery that holds 60 percent of its capacity is fine.', ['money'])).toBe(false);
    expect(holdsAnswerType('Report a fault with the number on the lamp post.', ['money', 'duration', 'phone', 'address'])).toBe(false);
  });
});
