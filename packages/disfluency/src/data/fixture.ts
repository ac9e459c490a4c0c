import { words } from '../text/tokenize.js';
import type { LabelledUtterance } from './labels.js';
import { Rng } from './rng.js';
import { injectDisfluencies } from './synthetic.js';

/**
 * Fluent conversational sentences written for this project (no external data), used to generate a small
 * labelled fixture at run time for the shipped-model check and the demo.
 */
export const FIXTURE_SENTENCES: readonly string[] = [
  'I think we should leave around six tonight',
  'Can you send me the report before the meeting',
  'We went to the beach last weekend with my sister',
  'The train to the airport leaves every twenty minutes',
  'My brother works at a small bakery in town',
  'I would like to book a table for four people',
  'She told me the movie was better than the book',
  'We need to buy milk and bread on the way home',
  'The weather has been really cold this week',
  'Do you know where I left my keys',
  'I usually read the news before breakfast',
  'They moved to a bigger house last spring',
  'Could you call the doctor and change my appointment',
  'I was thinking about taking a week off in June',
  'Our team finished the project two days early',
  'He plays the guitar in a band on Fridays',
  'I need a hotel near the conference center',
  'The kids want to go to the zoo on Saturday',
  'Please remind me to water the plants tomorrow',
  'We had pasta for dinner and it was great',
  'I can pick you up from the station at noon',
  'My phone battery dies so fast these days',
  'What time does the museum open on Sunday',
  'I have been learning to cook Indian food',
  'The price of the tickets went up again',
  'We should ask the neighbors about the parking',
  'I am looking for a cheap flight to Denver',
  'She started a new job at the hospital',
  'Let me check my calendar and get back to you',
  'It takes about an hour to drive to the lake',
  'I think the store closes at nine on weekdays',
  'They are planning a party for her birthday',
  'My parents live in a small town up north',
  'We watched the game at a friend house',
  'I want to find a good place to eat tonight',
  'The printer on the second floor is broken again',
  'He said he would finish the painting by Friday',
  'Can we move the call to the afternoon',
  'I really like the new coffee shop downtown',
  'We are going to visit my grandmother next month',
  'The bus was late so I walked to work',
  'I forgot to bring my umbrella this morning',
  'Our dog loves running in the park',
  'She wants to study biology at the university',
  'I need to renew my passport before the trip',
  'The restaurant does not take reservations on weekends',
  'We could rent a car and drive along the coast',
  'I have two tickets for the concert on Thursday',
  'My sister is getting married in the fall',
  'They fixed the road in front of our house',
  'I would rather stay home and watch a movie',
  'How much does it cost to ship a package',
  'We spent the whole afternoon cleaning the garage',
  'I think the answer is in the second chapter',
  'He is going to help me move on Saturday',
  'The library has a great collection of old maps',
  'I should probably get some sleep now',
  'Can you tell me how to get to the station',
  'We ordered a pizza because nobody wanted to cook',
  'My friend recommended a dentist near my office',
];

/** A labelled fixture: each sentence with seeded synthetic disfluencies (several variants per sentence). */
export function fixtureSet(seed = 2024, variants = 4): LabelledUtterance[] {
  const rng = new Rng(seed);
  const fluent = FIXTURE_SENTENCES.map(words);
  const out: LabelledUtterance[] = [];
  for (let v = 0; v < variants; v++)
    for (const ws of fluent) out.push(injectDisfluencies(ws, rng, () => rng.pick(fluent)));
  return out;
}
