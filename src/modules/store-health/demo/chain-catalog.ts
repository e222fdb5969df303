import type { OpeningHours } from '../schema.js';
import { germanStoreHolidays, usStoreHolidays, type Holiday } from './holidays.js';

/** One real-looking store location; phone numbers use fictional ranges (US 555-01xx, German film numbers). */
export interface LocationEntry {
  name: string;
  address: string;
  city: string;
  state: string;
  zipCode: string;
  timezone: string;
  /** Dialling prefix the store's phone numbers start with, e.g. '+121255501' (followed by two digits). */
  phonePrefix: string;
  format: 'flagship' | 'urban' | 'mall' | 'suburban' | 'high_street';
  /** Relative size; 1 is a typical store. */
  size: number;
  /** Local law or lease keeps the store closed on Sundays. */
  closedOnSundays?: boolean;
}

export interface DistrictEntry {
  name: string;
  /** Store codes read `<codePrefix>-<districtNumber><two-digit sequence>`, e.g. NE-101. */
  codePrefix: string;
  districtNumber: number;
  manager: { name: string; phone: string };
  locations: LocationEntry[];
}

export interface RegionEntry {
  name: string;
  manager: { name: string; phone: string };
  districts: DistrictEntry[];
}

export interface ChainCatalog {
  orgSlug: string;
  emailDomain: string;
  currencyUnit: string;
  holidays: (year: number) => Holiday[];
  /** Opening hours by store format. */
  hours: Record<LocationEntry['format'], OpeningHours>;
  /** Weekday traffic factors, index 0 = Monday … 6 = Sunday. */
  weeklyTraffic: readonly number[];
  /** Customer visits per open day of a size-1 store. */
  trafficPerSizeUnit: number;
  basketRange: readonly [number, number];
  regions: RegionEntry[];
  firstNames: readonly string[];
  lastNames: readonly string[];
}

/** One catalog row: name, address, city, state, ZIP, phone prefix, format, size, and what differs from the district. */
type LocationRow = [
  name: string,
  address: string,
  city: string,
  state: string,
  zipCode: string,
  phonePrefix: string,
  format: LocationEntry['format'],
  size: number,
  exceptions?: { timezone?: string; closedOnSundays?: boolean },
];

const locations = (timezone: string, rows: LocationRow[]): LocationEntry[] =>
  rows.map(([name, address, city, state, zipCode, phonePrefix, format, size, exceptions]) => ({
    name,
    address,
    city,
    state,
    zipCode,
    timezone: exceptions?.timezone ?? timezone,
    phonePrefix,
    format,
    size,
    closedOnSundays: exceptions?.closedOnSundays,
  }));

const everyDay = (open: string, close: string, sunday?: { open: string; close: string } | null): OpeningHours => {
  const hours: OpeningHours = {};
  for (const day of ['1', '2', '3', '4', '5', '6'] as const) hours[day] = [{ open, close }];
  if (sunday !== null) hours['7'] = [sunday ?? { open, close }];
  return hours;
};

const ny = 'America/New_York';
const chi = 'America/Chicago';

/** RetailOps Demo Co.: a US general-merchandise chain, 3 regions, 8 districts, 64 locations to draw stores from. */
export const usChainCatalog: ChainCatalog = {
  orgSlug: 'demo',
  emailDomain: 'retailops.demo',
  currencyUnit: '$',
  holidays: usStoreHolidays,
  hours: {
    flagship: everyDay('08:00', '22:00'),
    urban: everyDay('09:00', '21:00', { open: '10:00', close: '18:00' }),
    mall: everyDay('10:00', '21:00', { open: '11:00', close: '18:00' }),
    suburban: everyDay('09:00', '21:00', { open: '10:00', close: '18:00' }),
    high_street: everyDay('09:00', '21:00', { open: '10:00', close: '18:00' }),
  },
  weeklyTraffic: [0.87, 0.85, 0.9, 0.97, 1.12, 1.34, 0.95],
  trafficPerSizeUnit: 1450,
  basketRange: [38, 54],
  regions: [
    {
      name: 'Northeast',
      manager: { name: 'Diane Whitaker', phone: '+12125550100' },
      districts: [
        {
          name: 'New York Metro',
          codePrefix: 'NE',
          districtNumber: 1,
          manager: { name: 'Anthony Russo', phone: '+12125550101' },
          locations: locations(ny, [
            ['Manhattan Flagship', '1250 Broadway', 'New York', 'NY', '10001', '+121255501', 'flagship', 2.4],
            ['Brooklyn Atlantic Terminal', '139 Flatbush Ave', 'Brooklyn', 'NY', '11217', '+171855501', 'urban', 1.3],
            ['Queens Rego Park', '96-05 Queens Blvd', 'Rego Park', 'NY', '11374', '+171855501', 'urban', 1.15],
            ['Hoboken Washington St', '300 Washington St', 'Hoboken', 'NJ', '07030', '+120155501', 'high_street', 0.8],
            ['Paramus Route 17', '601 Route 17 N', 'Paramus', 'NJ', '07652', '+120155501', 'suburban', 1.2, { closedOnSundays: true }],
            ['White Plains Westchester', '125 Westchester Ave', 'White Plains', 'NY', '10601', '+191455501', 'mall', 1.05],
            ['Staten Island Richmond Ave', '2655 Richmond Ave', 'Staten Island', 'NY', '10314', '+171855501', 'mall', 0.95],
            ['Stamford Downtown', '100 Greyrock Pl', 'Stamford', 'CT', '06901', '+120355501', 'high_street', 0.75],
          ]),
        },
        {
          name: 'New England',
          codePrefix: 'NE',
          districtNumber: 2,
          manager: { name: 'Kathleen O’Brien', phone: '+16175550101' },
          locations: locations(ny, [
            ['Boston Back Bay', '800 Boylston St', 'Boston', 'MA', '02199', '+161755501', 'urban', 1.35],
            ['Cambridge CambridgeSide', '100 CambridgeSide Pl', 'Cambridge', 'MA', '02141', '+161755501', 'mall', 1.0],
            ['Providence Place', '1 Providence Pl', 'Providence', 'RI', '02903', '+140155501', 'mall', 0.95],
            ['Worcester Lincoln Plaza', '541 Lincoln St', 'Worcester', 'MA', '01605', '+150855501', 'suburban', 0.85],
            ['Farmington Westfarms', '500 Westfarms Mall', 'Farmington', 'CT', '06032', '+186055501', 'mall', 0.9],
            ['South Portland Maine Mall', '364 Maine Mall Rd', 'South Portland', 'ME', '04106', '+120755501', 'mall', 0.7],
            ['Manchester South Willow', '1500 S Willow St', 'Manchester', 'NH', '03103', '+160355501', 'suburban', 0.75],
            ['South Burlington Dorset St', '155 Dorset St', 'South Burlington', 'VT', '05403', '+180255501', 'suburban', 0.6, { closedOnSundays: true }],
          ]),
        },
        {
          name: 'Mid-Atlantic',
          codePrefix: 'NE',
          districtNumber: 3,
          manager: { name: 'Marcus Bell', phone: '+12155550101' },
          locations: locations(ny, [
            ['Philadelphia Center City', '1625 Chestnut St', 'Philadelphia', 'PA', '19103', '+121555501', 'urban', 1.3],
            ['King of Prussia', '160 N Gulph Rd', 'King of Prussia', 'PA', '19406', '+161055501', 'mall', 1.25],
            ['Pittsburgh South Hills', '301 S Hills Village', 'Pittsburgh', 'PA', '15241', '+141255501', 'mall', 0.95],
            ['Baltimore Harbor East', '1000 Lancaster St', 'Baltimore', 'MD', '21202', '+141055501', 'urban', 1.0],
            ['Wilmington Concord Pike', '4737 Concord Pike', 'Wilmington', 'DE', '19803', '+130255501', 'suburban', 0.8],
            ['Cherry Hill Route 38', '2000 Route 38', 'Cherry Hill', 'NJ', '08002', '+185655501', 'mall', 1.05],
            ['Allentown Lehigh Valley', '3300 Lehigh St', 'Allentown', 'PA', '18103', '+161055501', 'suburban', 0.85],
            ['Lancaster Park City', '142 Park City Center', 'Lancaster', 'PA', '17601', '+171755501', 'mall', 0.7, { closedOnSundays: true }],
          ]),
        },
      ],
    },
    {
      name: 'Midwest',
      manager: { name: 'Gregory Lindqvist', phone: '+13125550100' },
      districts: [
        {
          name: 'Great Lakes',
          codePrefix: 'MW',
          districtNumber: 1,
          manager: { name: 'Tamika Howard', phone: '+13135550101' },
          locations: locations(ny, [
            ['Troy Big Beaver', '2800 W Big Beaver Rd', 'Troy', 'MI', '48084', '+124855501', 'mall', 1.1],
            ['Ann Arbor Washtenaw', '3100 Washtenaw Ave', 'Ann Arbor', 'MI', '48104', '+173455501', 'suburban', 0.85],
            ['Beachwood Place', '26300 Cedar Rd', 'Beachwood', 'OH', '44122', '+121655501', 'mall', 1.0],
            ['Columbus Easton', '4000 Easton Station', 'Columbus', 'OH', '43219', '+161455501', 'mall', 1.2],
            ['Cincinnati Kenwood', '7875 Montgomery Rd', 'Cincinnati', 'OH', '45236', '+151355501', 'mall', 1.0],
            ['Indianapolis Keystone', '8702 Keystone Crossing', 'Indianapolis', 'IN', '46240', '+131755501', 'mall', 0.95],
            ['Grandville Rivertown', '3700 Rivertown Pkwy SW', 'Grandville', 'MI', '49418', '+161655501', 'suburban', 0.75],
            ['Toledo Westgate', '3301 W Central Ave', 'Toledo', 'OH', '43606', '+141955501', 'suburban', 0.7],
          ]),
        },
        {
          name: 'Chicago Metro',
          codePrefix: 'MW',
          districtNumber: 2,
          manager: { name: 'Daniel Kowalski', phone: '+13125550101' },
          locations: locations(chi, [
            ['Chicago State Street', '111 N State St', 'Chicago', 'IL', '60602', '+131255501', 'urban', 1.5],
            ['Chicago Lincoln Park', '2600 N Clark St', 'Chicago', 'IL', '60614', '+177355501', 'urban', 0.95],
            ['Evanston Sherman Ave', '1700 Sherman Ave', 'Evanston', 'IL', '60201', '+184755501', 'high_street', 0.75],
            ['Oak Brook Center', '100 Oakbrook Ctr', 'Oak Brook', 'IL', '60523', '+163055501', 'mall', 1.15],
            ['Schaumburg Woodfield', '5 Woodfield Mall', 'Schaumburg', 'IL', '60173', '+184755501', 'mall', 1.25],
            ['Naperville 75th Street', '1500 W 75th St', 'Naperville', 'IL', '60540', '+163055501', 'suburban', 0.9],
            ['Orland Park Square', '288 Orland Square Dr', 'Orland Park', 'IL', '60462', '+170855501', 'mall', 0.9],
            ['Skokie Old Orchard', '4999 Old Orchard Ctr', 'Skokie', 'IL', '60077', '+184755501', 'mall', 1.0],
          ]),
        },
        {
          name: 'Upper Midwest',
          codePrefix: 'MW',
          districtNumber: 3,
          manager: { name: 'Ingrid Halvorsen', phone: '+16125550101' },
          locations: locations(chi, [
            ['Minneapolis Nicollet Mall', '900 Nicollet Mall', 'Minneapolis', 'MN', '55402', '+161255501', 'urban', 1.15],
            ['Bloomington Mall of America', '60 E Broadway', 'Bloomington', 'MN', '55425', '+195255501', 'mall', 1.4],
            ['St. Paul Midway', '1450 University Ave W', 'St. Paul', 'MN', '55104', '+165155501', 'suburban', 0.85],
            ['Wauwatosa Mayfair', '2500 N Mayfair Rd', 'Wauwatosa', 'WI', '53226', '+141455501', 'mall', 1.0],
            ['Madison West Towne', '7433 Mineral Point Rd', 'Madison', 'WI', '53717', '+160855501', 'suburban', 0.8],
            ['West Des Moines Jordan Creek', '101 Jordan Creek Pkwy', 'West Des Moines', 'IA', '50266', '+151555501', 'mall', 0.85],
            ['St. Louis Brentwood', '1 Brentwood Promenade Ct', 'St. Louis', 'MO', '63144', '+131455501', 'suburban', 0.95],
            ['Kansas City Country Club Plaza', '4750 Broadway Blvd', 'Kansas City', 'MO', '64112', '+181655501', 'high_street', 0.9],
          ]),
        },
      ],
    },
    {
      name: 'South',
      manager: { name: 'Rosa Delgado', phone: '+12145550100' },
      districts: [
        {
          name: 'Texas',
          codePrefix: 'SO',
          districtNumber: 1,
          manager: { name: 'Brandon Mitchell', phone: '+12145550101' },
          locations: locations(chi, [
            ['Dallas NorthPark', '8687 N Central Expy', 'Dallas', 'TX', '75225', '+121455501', 'mall', 1.3],
            ['Plano Legacy West', '5908 Headquarters Dr', 'Plano', 'TX', '75024', '+197255501', 'suburban', 1.05],
            ['Fort Worth Hulen', '4800 S Hulen St', 'Fort Worth', 'TX', '76132', '+181755501', 'mall', 0.95],
            ['Houston Galleria', '5085 Westheimer Rd', 'Houston', 'TX', '77056', '+171355501', 'mall', 1.4],
            ['The Woodlands Market Street', '9595 Six Pines Dr', 'The Woodlands', 'TX', '77380', '+128155501', 'high_street', 0.9],
            ['Austin Domain', '11410 Century Oaks Ter', 'Austin', 'TX', '78758', '+151255501', 'high_street', 1.1],
            ['San Antonio La Cantera', '15900 La Cantera Pkwy', 'San Antonio', 'TX', '78256', '+121055501', 'mall', 1.0],
            ['Arlington Parks Mall', '3811 S Cooper St', 'Arlington', 'TX', '76015', '+181755501', 'mall', 0.85],
          ]),
        },
        {
          name: 'Southeast',
          codePrefix: 'SO',
          districtNumber: 2,
          manager: { name: 'Latoya Freeman', phone: '+14045550101' },
          locations: locations(ny, [
            ['Atlanta Buckhead', '3393 Peachtree Rd NE', 'Atlanta', 'GA', '30326', '+140455501', 'mall', 1.3],
            ['Alpharetta North Point', '1000 North Point Cir', 'Alpharetta', 'GA', '30022', '+177055501', 'mall', 0.95],
            ['Charlotte SouthPark', '4400 Sharon Rd', 'Charlotte', 'NC', '28211', '+170455501', 'mall', 1.1],
            ['Raleigh Crabtree', '4325 Glenwood Ave', 'Raleigh', 'NC', '27612', '+191955501', 'mall', 0.9],
            ['Nashville Green Hills', '2126 Abbott Martin Rd', 'Nashville', 'TN', '37215', '+161555501', 'mall', 1.05, { timezone: chi }],
            ['Orlando Millenia', '4200 Conroy Rd', 'Orlando', 'FL', '32839', '+140755501', 'mall', 1.15],
            ['Tampa Westshore', '2223 N West Shore Blvd', 'Tampa', 'FL', '33607', '+181355501', 'mall', 1.0],
            ['Jacksonville St. Johns Town Center', '4663 River City Dr', 'Jacksonville', 'FL', '32246', '+190455501', 'high_street', 0.9],
          ]),
        },
      ],
    },
  ],
  firstNames: [
    'James',
    'Maria',
    'Robert',
    'Jennifer',
    'Michael',
    'Linda',
    'David',
    'Patricia',
    'Carlos',
    'Aisha',
    'Kevin',
    'Emily',
    'Jason',
    'Priya',
    'Brian',
    'Nicole',
    'Luis',
    'Megan',
    'Andre',
    'Rachel',
    'Tyler',
    'Sofia',
    'Derek',
    'Hannah',
    'Omar',
    'Lauren',
    'Ethan',
    'Grace',
    'Victor',
    'Chloe',
    'Samuel',
    'Yesenia',
    'Trevor',
    'Monique',
    'Kyle',
    'Alyssa',
  ],
  lastNames: [
    'Johnson',
    'Garcia',
    'Miller',
    'Davis',
    'Rodriguez',
    'Martinez',
    'Anderson',
    'Thompson',
    'Nguyen',
    'Patel',
    'Robinson',
    'Walker',
    'Young',
    'Hernandez',
    'King',
    'Wright',
    'Lopez',
    'Hill',
    'Scott',
    'Green',
    'Adams',
    'Baker',
    'Nelson',
    'Carter',
    'Mitchell',
    'Perez',
    'Roberts',
    'Turner',
    'Phillips',
    'Campbell',
    'Parker',
    'Evans',
    'Edwards',
    'Collins',
  ],
};

const berlin = 'Europe/Berlin';

/** Northwind Outlets: a small German chain, so switching organizations shows a different picture. */
export const germanChainCatalog: ChainCatalog = {
  orgSlug: 'northwind',
  emailDomain: 'northwind.demo',
  currencyUnit: '€',
  holidays: germanStoreHolidays,
  hours: {
    // Shops close on Sundays by law (Ladenschlussgesetz).
    flagship: everyDay('09:30', '20:00', null),
    urban: everyDay('09:30', '20:00', null),
    mall: everyDay('10:00', '20:00', null),
    suburban: everyDay('09:00', '19:00', null),
    high_street: everyDay('09:30', '20:00', null),
  },
  weeklyTraffic: [0.9, 0.88, 0.92, 0.98, 1.12, 1.35, 1],
  trafficPerSizeUnit: 1100,
  basketRange: [31, 44],
  regions: [
    {
      name: 'North',
      manager: { name: 'Katrin Vogel', phone: '+494066969100' },
      districts: [
        {
          name: 'Hamburg',
          codePrefix: 'HH',
          districtNumber: 1,
          manager: { name: 'Jan Petersen', phone: '+494066969101' },
          locations: locations(berlin, [
            ['Hamburg Altona', 'Ottenser Hauptstraße 10', 'Hamburg', 'HH', '22765', '+4940669691', 'high_street', 1.1],
            ['Hamburg Wandsbek', 'Wandsbeker Marktstraße 57', 'Hamburg', 'HH', '22041', '+4940669691', 'mall', 0.9],
          ]),
        },
        {
          name: 'Berlin',
          codePrefix: 'BE',
          districtNumber: 1,
          manager: { name: 'Leonie Hartmann', phone: '+493023125101' },
          locations: locations(berlin, [
            ['Berlin Alexanderplatz', 'Alexanderplatz 9', 'Berlin', 'BE', '10178', '+4930231251', 'urban', 1.3],
            ['Berlin Charlottenburg', 'Wilmersdorfer Straße 46', 'Berlin', 'BE', '10627', '+4930231251', 'high_street', 0.95],
          ]),
        },
      ],
    },
    {
      name: 'South',
      manager: { name: 'Stefan Huber', phone: '+498999998100' },
      districts: [
        {
          name: 'Bavaria',
          codePrefix: 'BY',
          districtNumber: 1,
          manager: { name: 'Franziska Maier', phone: '+498999998101' },
          locations: locations(berlin, [
            ['München Schwabing', 'Leopoldstraße 82', 'München', 'BY', '80802', '+4989999981', 'high_street', 1.2],
            ['Nürnberg Königstraße', 'Königstraße 17', 'Nürnberg', 'BY', '90402', '+4989999981', 'high_street', 0.9],
          ]),
        },
        {
          name: 'Baden-Württemberg',
          codePrefix: 'BW',
          districtNumber: 1,
          manager: { name: 'Tobias Schneider', phone: '+498999998102' },
          locations: locations(berlin, [
            ['Stuttgart Königstraße', 'Königstraße 27', 'Stuttgart', 'BW', '70173', '+4989999981', 'high_street', 1.05],
            ['Karlsruhe Kaiserstraße', 'Kaiserstraße 112', 'Karlsruhe', 'BW', '76133', '+4989999981', 'suburban', 0.8],
          ]),
        },
      ],
    },
  ],
  firstNames: ['Lukas', 'Anna', 'Felix', 'Laura', 'Jonas', 'Sophie', 'Maximilian', 'Lea', 'Paul', 'Hannah', 'Niklas', 'Julia', 'Emre', 'Mia', 'David', 'Elif'],
  lastNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch', 'Richter', 'Yilmaz', 'Wolf'],
};
