import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePng } from '../image/image.js';
import { countries } from '../knowledge/countries.js';
import { flagPhoto } from '../scenes/flags.js';
import { signPhoto } from '../scenes/signs.js';
import type { EvalItem, EvalSet } from './dataset.js';

const fact = (name: string) => {
  const c = countries.find((x) => x.name === name);
  if (!c) throw new Error(`no facts for ${name}`);
  return c;
};

const ALIASES: Record<string, string[]> = {
  Kyiv: ['Kiev'],
  "Sana'a": ['Sanaa'],
  Brasilia: ['Brasília'],
  Bogota: ['Bogotá'],
  Reykjavik: ['Reykjavík'],
  zloty: ['złoty', 'Polish zloty'],
  euro: ['euros', 'EUR'],
  yen: ['Japanese yen'],
  ruble: ['rouble', 'Russian ruble'],
  forint: ['Hungarian forint'],
  hryvnia: ['Ukrainian hryvnia'],
  rupiah: ['Indonesian rupiah'],
  taka: ['Bangladeshi taka'],
  naira: ['Nigerian naira'],
  sol: ['Peruvian sol'],
  cedi: ['Ghanaian cedi'],
  birr: ['Ethiopian birr'],
  baht: ['Thai baht'],
  dong: ['Vietnamese dong'],
  real: ['Brazilian real'],
};
const withAliases = (a: string) => [a, ...(ALIASES[a] ?? [])];

type Attr = 'capital' | 'continent' | 'currency' | 'language';
const Q: Record<Attr, { flag: string; sign: string }> = {
  capital: {
    flag: 'What is the capital of the country whose flag is shown?',
    sign: 'What is the capital of the country named on this sign?',
  },
  continent: {
    flag: 'On which continent is the country with this flag?',
    sign: 'Which continent is the country on this sign in?',
  },
  currency: {
    flag: 'What currency is used in the country whose flag this is?',
    sign: 'What currency do they use in the country named on this sign?',
  },
  language: {
    flag: 'What language is spoken in the country with this flag?',
    sign: 'What language do people speak in the country on this sign?',
  },
};

const FLAG_ITEMS: Array<[string, Attr]> = [
  ['France', 'capital'],
  ['Italy', 'currency'],
  ['Ireland', 'continent'],
  ['Belgium', 'capital'],
  ['Romania', 'language'],
  ['Mali', 'continent'],
  ['Nigeria', 'currency'],
  ['Peru', 'capital'],
  ['Germany', 'language'],
  ['Netherlands', 'capital'],
  ['Russia', 'currency'],
  ['Austria', 'capital'],
  ['Hungary', 'language'],
  ['Estonia', 'capital'],
  ['Poland', 'currency'],
  ['Ukraine', 'capital'],
  ['Indonesia', 'continent'],
  ['Japan', 'currency'],
  ['Sweden', 'capital'],
  ['Switzerland', 'currency'],
];

const SIGN_ITEMS: Array<[string[], string, Attr]> = [
  [['WELCOME TO', 'KENYA'], 'Kenya', 'currency'],
  [['WELCOME TO', 'BRAZIL'], 'Brazil', 'capital'],
  [['WELCOME TO', 'CANADA'], 'Canada', 'capital'],
  [['EGYPT', 'BORDER 2 KM'], 'Egypt', 'currency'],
  [['WELCOME TO', 'INDIA'], 'India', 'currency'],
  [['WELCOME TO', 'AUSTRALIA'], 'Australia', 'capital'],
  [['WELCOME TO', 'PORTUGAL'], 'Portugal', 'language'],
  [['GREECE', 'NEXT EXIT'], 'Greece', 'capital'],
  [['WELCOME TO', 'THAILAND'], 'Thailand', 'continent'],
  [['WELCOME TO', 'MOROCCO'], 'Morocco', 'capital'],
  [['ICELAND', 'FERRY 3 KM'], 'Iceland', 'currency'],
  [['WELCOME TO', 'CHILE'], 'Chile', 'capital'],
  [['WELCOME TO', 'GHANA'], 'Ghana', 'currency'],
  [['WELCOME TO', 'VIETNAM'], 'Vietnam', 'capital'],
];

const READ_ITEMS: string[][] = [['STOP'], ['NO PARKING'], ['EXIT 12']];

const DARKNET = '/usr/share/darknet/data';
const PHOTO_ITEMS: Array<Omit<EvalItem, 'category' | 'humanAnswers'>> = [
  {
    id: 'photo-dog',
    image: `${DARKNET}/dog.jpg`,
    question: 'What animal is in this picture?',
    answers: ['dog'],
    tools: ['detect_objects'],
  },
  {
    id: 'photo-horses',
    image: `${DARKNET}/horses.jpg`,
    question: 'What kind of animals are these?',
    answers: ['horse', 'horses'],
    tools: ['detect_objects'],
  },
  {
    id: 'photo-eagle',
    image: `${DARKNET}/eagle.jpg`,
    question: 'What kind of animal is this?',
    answers: ['bird', 'eagle', 'bird of prey'],
    tools: ['detect_objects'],
  },
  {
    id: 'photo-giraffe-continent',
    image: `${DARKNET}/giraffe.jpg`,
    question: 'Which continent do these animals come from?',
    answers: ['Africa'],
    tools: ['detect_objects', 'knowledge_search'],
  },
  {
    id: 'photo-giraffe-habitat',
    image: `${DARKNET}/giraffe.jpg`,
    question: 'What is the natural habitat of the giraffe in this photo?',
    answers: ['savanna', 'savannah', 'grassland'],
    tools: ['detect_objects', 'knowledge_search'],
  },
  {
    id: 'photo-person-count',
    image: `${DARKNET}/person.jpg`,
    question: 'How many people are in the picture?',
    answers: ['1', 'one'],
    tools: ['detect_objects'],
  },
  {
    id: 'photo-kite',
    image: `${DARKNET}/kite.jpg`,
    question: 'What are the people flying?',
    answers: ['kite', 'kites'],
    tools: ['detect_objects'],
  },
  {
    id: 'photo-dog-vehicle',
    image: `${DARKNET}/dog.jpg`,
    question: 'What kind of vehicle is parked behind the bicycle?',
    answers: ['truck', 'pickup truck', 'pickup'],
    tools: ['detect_objects'],
  },
];

/**
 * Builds the package's evaluation set into `dir`: photos of flags (generated, seeds not in the demo
 * gallery), photos of road signs (generated), and Debian darknet's sample photos.
 */
export async function buildBuiltinSet(dir: string): Promise<EvalSet> {
  await mkdir(dir, { recursive: true });
  const items: EvalItem[] = [];
  for (const [i, [country, attr]] of FLAG_ITEMS.entries()) {
    const file = `flag-${country.toLowerCase().replace(/ /g, '-')}.png`;
    await writeFile(join(dir, file), encodePng(flagPhoto(country, 1000 + i)));
    items.push({
      id: `flag-${country}-${attr}`,
      image: join(dir, file),
      question: Q[attr].flag,
      answers: withAliases(fact(country)[attr]),
      tools: ['image_search', 'knowledge_search'],
      category: 'flag',
    });
  }
  for (const [i, [lines, country, attr]] of SIGN_ITEMS.entries()) {
    const file = `sign-${country.toLowerCase()}.png`;
    await writeFile(join(dir, file), encodePng(await signPhoto(lines, 2000 + i)));
    items.push({
      id: `sign-${country}-${attr}`,
      image: join(dir, file),
      question: Q[attr].sign,
      answers: withAliases(fact(country)[attr]),
      tools: ['ocr', 'knowledge_search'],
      category: 'sign',
    });
  }
  for (const [i, lines] of READ_ITEMS.entries()) {
    const text = lines.join(' ');
    const file = `read-${i}.png`;
    await writeFile(join(dir, file), encodePng(await signPhoto(lines, 3000 + i)));
    items.push({
      id: `read-${i}`,
      image: join(dir, file),
      question: 'What does the sign say?',
      answers: [text],
      tools: ['ocr'],
      category: 'read',
    });
  }
  for (const p of PHOTO_ITEMS) {
    if (!existsSync(p.image))
      throw new Error(`${p.image} is missing; install Debian's darknet package (scripts/apt-packages.txt)`);
    items.push({ ...p, category: 'photo' });
  }
  const set: EvalSet = { name: 'visual-seeker builtin', items };
  await writeFile(
    join(dir, 'set.json'),
    JSON.stringify(
      {
        ...set,
        items: items.map((it) => ({
          ...it,
          image: it.image.startsWith(dir) ? it.image.slice(dir.length + 1) : it.image,
        })),
      },
      null,
      2,
    ),
  );
  return set;
}
