/**
 * Country facts written for this package (capital, continent, currency, main official languages),
 * as of 2026. Bulgaria uses the euro since 1 January 2026. Where a country spans two continents
 * the continent most atlases list it under is given.
 */
export interface CountryFacts {
  name: string;
  aliases?: string[];
  capital: string;
  continent: string;
  currency: string;
  language: string;
}

export const countries: CountryFacts[] = [
  { name: 'France', capital: 'Paris', continent: 'Europe', currency: 'euro', language: 'French' },
  { name: 'Italy', capital: 'Rome', continent: 'Europe', currency: 'euro', language: 'Italian' },
  { name: 'Ireland', capital: 'Dublin', continent: 'Europe', currency: 'euro', language: 'Irish and English' },
  { name: 'Belgium', capital: 'Brussels', continent: 'Europe', currency: 'euro', language: 'Dutch, French and German' },
  { name: 'Romania', capital: 'Bucharest', continent: 'Europe', currency: 'Romanian leu', language: 'Romanian' },
  { name: 'Mali', capital: 'Bamako', continent: 'Africa', currency: 'West African CFA franc', language: 'Bambara and other national languages; French as working language' },
  { name: 'Nigeria', capital: 'Abuja', continent: 'Africa', currency: 'naira', language: 'English' },
  { name: 'Peru', capital: 'Lima', continent: 'South America', currency: 'sol', language: 'Spanish' },
  { name: 'Guinea', capital: 'Conakry', continent: 'Africa', currency: 'Guinean franc', language: 'French' },
  { name: 'Ivory Coast', aliases: ["Cote d'Ivoire"], capital: 'Yamoussoukro', continent: 'Africa', currency: 'West African CFA franc', language: 'French' },
  { name: 'Germany', capital: 'Berlin', continent: 'Europe', currency: 'euro', language: 'German' },
  { name: 'Netherlands', aliases: ['Holland'], capital: 'Amsterdam', continent: 'Europe', currency: 'euro', language: 'Dutch' },
  { name: 'Russia', capital: 'Moscow', continent: 'Europe', currency: 'ruble', language: 'Russian' },
  { name: 'Austria', capital: 'Vienna', continent: 'Europe', currency: 'euro', language: 'German' },
  { name: 'Hungary', capital: 'Budapest', continent: 'Europe', currency: 'forint', language: 'Hungarian' },
  { name: 'Bulgaria', capital: 'Sofia', continent: 'Europe', currency: 'euro', language: 'Bulgarian' },
  { name: 'Estonia', capital: 'Tallinn', continent: 'Europe', currency: 'euro', language: 'Estonian' },
  { name: 'Lithuania', capital: 'Vilnius', continent: 'Europe', currency: 'euro', language: 'Lithuanian' },
  { name: 'Yemen', capital: "Sana'a", continent: 'Asia', currency: 'Yemeni rial', language: 'Arabic' },
  { name: 'Sierra Leone', capital: 'Freetown', continent: 'Africa', currency: 'leone', language: 'English' },
  { name: 'Gabon', capital: 'Libreville', continent: 'Africa', currency: 'Central African CFA franc', language: 'French' },
  { name: 'Poland', capital: 'Warsaw', continent: 'Europe', currency: 'zloty', language: 'Polish' },
  { name: 'Ukraine', capital: 'Kyiv', continent: 'Europe', currency: 'hryvnia', language: 'Ukrainian' },
  { name: 'Indonesia', capital: 'Jakarta', continent: 'Asia', currency: 'rupiah', language: 'Indonesian' },
  { name: 'Japan', capital: 'Tokyo', continent: 'Asia', currency: 'yen', language: 'Japanese' },
  { name: 'Bangladesh', capital: 'Dhaka', continent: 'Asia', currency: 'taka', language: 'Bengali' },
  { name: 'Denmark', capital: 'Copenhagen', continent: 'Europe', currency: 'Danish krone', language: 'Danish' },
  { name: 'Sweden', capital: 'Stockholm', continent: 'Europe', currency: 'Swedish krona', language: 'Swedish' },
  { name: 'Finland', capital: 'Helsinki', continent: 'Europe', currency: 'euro', language: 'Finnish and Swedish' },
  { name: 'Norway', capital: 'Oslo', continent: 'Europe', currency: 'Norwegian krone', language: 'Norwegian' },
  { name: 'Switzerland', capital: 'Bern', continent: 'Europe', currency: 'Swiss franc', language: 'German, French, Italian and Romansh' },
  { name: 'Kenya', capital: 'Nairobi', continent: 'Africa', currency: 'Kenyan shilling', language: 'Swahili and English' },
  { name: 'Brazil', capital: 'Brasilia', continent: 'South America', currency: 'real', language: 'Portuguese' },
  { name: 'Canada', capital: 'Ottawa', continent: 'North America', currency: 'Canadian dollar', language: 'English and French' },
  { name: 'Mexico', capital: 'Mexico City', continent: 'North America', currency: 'Mexican peso', language: 'Spanish' },
  { name: 'Egypt', capital: 'Cairo', continent: 'Africa', currency: 'Egyptian pound', language: 'Arabic' },
  { name: 'India', capital: 'New Delhi', continent: 'Asia', currency: 'Indian rupee', language: 'Hindi and English' },
  { name: 'China', capital: 'Beijing', continent: 'Asia', currency: 'renminbi (yuan)', language: 'Mandarin Chinese' },
  { name: 'Australia', capital: 'Canberra', continent: 'Oceania', currency: 'Australian dollar', language: 'English' },
  { name: 'Spain', capital: 'Madrid', continent: 'Europe', currency: 'euro', language: 'Spanish' },
  { name: 'Portugal', capital: 'Lisbon', continent: 'Europe', currency: 'euro', language: 'Portuguese' },
  { name: 'Greece', capital: 'Athens', continent: 'Europe', currency: 'euro', language: 'Greek' },
  { name: 'Argentina', capital: 'Buenos Aires', continent: 'South America', currency: 'Argentine peso', language: 'Spanish' },
  { name: 'Chile', capital: 'Santiago', continent: 'South America', currency: 'Chilean peso', language: 'Spanish' },
  { name: 'Thailand', capital: 'Bangkok', continent: 'Asia', currency: 'baht', language: 'Thai' },
  { name: 'Vietnam', capital: 'Hanoi', continent: 'Asia', currency: 'dong', language: 'Vietnamese' },
  { name: 'Morocco', capital: 'Rabat', continent: 'Africa', currency: 'Moroccan dirham', language: 'Arabic and Berber' },
  { name: 'Iceland', capital: 'Reykjavik', continent: 'Europe', currency: 'Icelandic krona', language: 'Icelandic' },
  { name: 'New Zealand', capital: 'Wellington', continent: 'Oceania', currency: 'New Zealand dollar', language: 'English and Maori' },
  { name: 'Colombia', capital: 'Bogota', continent: 'South America', currency: 'Colombian peso', language: 'Spanish' },
  { name: 'Ghana', capital: 'Accra', continent: 'Africa', currency: 'cedi', language: 'English' },
  { name: 'Ethiopia', capital: 'Addis Ababa', continent: 'Africa', currency: 'birr', language: 'Amharic' },
];
