/** Per-country consignee data: names, streets, cities with postcode patterns, phone prefixes, mail domains. */

/** What the flood needs to make up a plausible consignee in one country. */
export interface Locale {
  country: string;
  dial: string;
  firstNames: readonly string[];
  lastNames: readonly string[];
  streets: readonly string[];
  /** City and postcode pattern: '#' is a digit, '@' an upper-case letter. */
  cities: readonly (readonly [string, string])[];
  mailDomains: readonly string[];
  /** House number after the street (true) or before it (false, as in FR, IE, LU). */
  numberAfter: boolean;
}

const split = (s: string): readonly string[] => s.split('|');
const cities = (s: string): readonly (readonly [string, string])[] =>
  s.split('|').map((pair) => {
    const [city = '', pattern = '#####'] = pair.split('=');
    return [city, pattern] as const;
  });

function locale(
  country: string,
  dial: string,
  first: string,
  last: string,
  streets: string,
  cityList: string,
  mail: string,
  numberAfter = true,
): Locale {
  return {
    country,
    dial,
    firstNames: split(first),
    lastNames: split(last),
    streets: split(streets),
    cities: cities(cityList),
    mailDomains: split(`gmail.com|outlook.com|${mail}`),
    numberAfter,
  };
}

/** EU-27 destinations with weights roughly following low-value e-commerce import volume. */
export const EU27_WEIGHTS: readonly (readonly [string, number])[] = [
  ['DE', 18],
  ['FR', 15],
  ['IT', 11],
  ['ES', 10],
  ['NL', 8],
  ['PL', 7],
  ['BE', 4],
  ['SE', 3],
  ['AT', 3],
  ['RO', 2.5],
  ['CZ', 2.5],
  ['PT', 2],
  ['HU', 2],
  ['IE', 2],
  ['GR', 1.5],
  ['DK', 1.5],
  ['FI', 1.2],
  ['SK', 1],
  ['BG', 1],
  ['HR', 0.8],
  ['LT', 0.6],
  ['SI', 0.5],
  ['LV', 0.4],
  ['EE', 0.3],
  ['LU', 0.3],
  ['CY', 0.2],
  ['MT', 0.2],
];

/** ISO 3166 numeric codes, used as the Member State part of IOSS numbers (IM + 3 digits + 7 digits). */
export const EU_NUMERIC: Readonly<Record<string, string>> = {
  AT: '040',
  BE: '056',
  BG: '100',
  CY: '196',
  CZ: '203',
  DE: '276',
  DK: '208',
  EE: '233',
  ES: '724',
  FI: '246',
  FR: '250',
  GR: '300',
  HR: '191',
  HU: '348',
  IE: '372',
  IT: '380',
  LT: '440',
  LU: '442',
  LV: '428',
  MT: '470',
  NL: '528',
  PL: '616',
  PT: '620',
  RO: '642',
  SE: '752',
  SI: '705',
  SK: '703',
};

const LOCALES: readonly Locale[] = [
  locale(
    'DE',
    '+49',
    'Lukas|Anna|Jonas|Lea|Leon|Sophie|Felix|Marie|Paul|Laura|Tim|Julia',
    'Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Hoffmann|Koch',
    'Hauptstraße|Bahnhofstraße|Gartenstraße|Schillerstraße|Lindenweg|Goethestraße|Am Markt|Bergstraße',
    'Berlin=10###|Hamburg=22###|München=80###|Köln=50###|Frankfurt am Main=60###|Leipzig=04###|Dortmund=44###',
    'web.de|gmx.de|t-online.de',
  ),
  locale(
    'FR',
    '+33',
    'Louis|Emma|Gabriel|Jade|Hugo|Louise|Lucas|Chloé|Arthur|Manon|Nathan|Camille',
    'Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau',
    'rue de la République|avenue Victor Hugo|rue Pasteur|boulevard Voltaire|rue des Lilas|rue Jean Jaurès|place de la Gare',
    'Paris=750##|Lyon=6900#|Marseille=130##|Toulouse=310##|Lille=590##|Nantes=440##|Bordeaux=330##',
    'orange.fr|free.fr|laposte.net',
    false,
  ),
  locale(
    'IT',
    '+39',
    'Leonardo|Sofia|Francesco|Giulia|Alessandro|Aurora|Lorenzo|Alice|Mattia|Ginevra',
    'Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco',
    'Via Roma|Via Garibaldi|Corso Italia|Via Mazzini|Via Dante Alighieri|Viale della Libertà',
    'Roma=001##|Milano=201##|Napoli=801##|Torino=101##|Bologna=401##|Firenze=501##|Bari=701##',
    'libero.it|virgilio.it|tiscali.it',
  ),
  locale(
    'ES',
    '+34',
    'Hugo|Lucía|Martín|Sofía|Pablo|María|Daniel|Paula|Alejandro|Valeria',
    'García|Rodríguez|González|Fernández|López|Martínez|Sánchez|Pérez|Gómez|Martín',
    'Calle Mayor|Calle Real|Avenida de la Constitución|Calle del Sol|Paseo de Gracia|Calle de Alcalá',
    'Madrid=280##|Barcelona=080##|Valencia=460##|Sevilla=410##|Zaragoza=500##|Málaga=290##|Bilbao=480##',
    'hotmail.es|yahoo.es|telefonica.net',
  ),
  locale(
    'NL',
    '+31',
    'Daan|Emma|Sem|Julia|Lucas|Mila|Finn|Tess|Levi|Sophie',
    'de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Visser|Smit|Meijer|de Boer',
    'Kerkstraat|Dorpsstraat|Stationsweg|Molenstraat|Schoolstraat|Julianalaan|Prinsengracht',
    'Amsterdam=10## @@|Rotterdam=30## @@|Den Haag=25## @@|Utrecht=35## @@|Eindhoven=56## @@|Groningen=97## @@',
    'ziggo.nl|kpnmail.nl|hotmail.nl',
  ),
  locale(
    'PL',
    '+48',
    'Jan|Zuzanna|Antoni|Julia|Aleksander|Zofia|Franciszek|Hanna|Jakub|Maja',
    'Nowak|Kowalski|Wiśniewski|Wójcik|Kowalczyk|Kamiński|Lewandowski|Zieliński|Szymański|Woźniak',
    'ul. Polna|ul. Leśna|ul. Słoneczna|ul. Krótka|ul. Szkolna|ul. Mickiewicza|ul. Kościuszki',
    'Warszawa=0#-###|Kraków=3#-###|Łódź=9#-###|Wrocław=5#-###|Poznań=6#-###|Gdańsk=80-###',
    'wp.pl|onet.pl|interia.pl',
  ),
  locale(
    'BE',
    '+32',
    'Noah|Olivia|Arthur|Louise|Louis|Mila|Jules|Emma|Adam|Elena',
    'Peeters|Janssens|Maes|Jacobs|Mertens|Willems|Claes|Goossens|Dubois|Lambert',
    'Kerkstraat|Stationsstraat|Rue de la Station|Rue Haute|Dorpstraat|Avenue Louise',
    'Bruxelles=10##|Antwerpen=20##|Gent=90##|Liège=40##|Charleroi=60##|Brugge=80##',
    'skynet.be|telenet.be|proximus.be',
  ),
  locale(
    'SE',
    '+46',
    'William|Alice|Oscar|Maja|Lucas|Elsa|Hugo|Astrid|Liam|Ebba',
    'Andersson|Johansson|Karlsson|Nilsson|Eriksson|Larsson|Olsson|Persson|Svensson|Gustafsson',
    'Storgatan|Kungsgatan|Drottninggatan|Skolgatan|Järnvägsgatan|Parkvägen',
    'Stockholm=1## ##|Göteborg=4## ##|Malmö=2## ##|Uppsala=75# ##|Västerås=72# ##',
    'telia.com|bredband.net|hotmail.se',
  ),
  locale(
    'AT',
    '+43',
    'Paul|Emilia|Jakob|Anna|Maximilian|Marie|Elias|Lena|David|Hannah',
    'Gruber|Huber|Bauer|Wagner|Müller|Pichler|Steiner|Moser|Mayer|Hofer',
    'Hauptplatz|Kirchengasse|Bahnhofstraße|Wiener Straße|Schulgasse|Mariahilfer Straße',
    'Wien=1###|Graz=80##|Linz=40##|Salzburg=50##|Innsbruck=60##',
    'gmx.at|aon.at|chello.at',
  ),
  locale(
    'RO',
    '+40',
    'Andrei|Maria|David|Elena|Alexandru|Ioana|Ștefan|Ana|Mihai|Sofia',
    'Popescu|Ionescu|Popa|Dumitru|Stan|Stoica|Gheorghe|Rusu|Munteanu|Matei',
    'Strada Mihai Eminescu|Bulevardul Unirii|Strada Republicii|Strada Florilor|Calea Victoriei',
    'București=0#####|Cluj-Napoca=400###|Timișoara=300###|Iași=700###|Constanța=900###',
    'yahoo.com|yahoo.ro',
  ),
  locale(
    'CZ',
    '+420',
    'Jakub|Eliška|Jan|Tereza|Tomáš|Anna|Adam|Adéla|Matyáš|Natálie',
    'Novák|Svoboda|Novotný|Dvořák|Černý|Procházka|Kučera|Veselý|Horák|Němec',
    'Nádražní|Husova|Palackého|Masarykova|Školní|Zahradní',
    'Praha=1## ##|Brno=6## ##|Ostrava=7## ##|Plzeň=3## ##|Olomouc=77# ##',
    'seznam.cz|email.cz|centrum.cz',
  ),
  locale(
    'PT',
    '+351',
    'Francisco|Maria|Afonso|Leonor|Tomás|Matilde|Duarte|Beatriz|Santiago|Carolina',
    'Silva|Santos|Ferreira|Pereira|Oliveira|Costa|Rodrigues|Martins|Sousa|Fernandes',
    'Rua da Liberdade|Avenida da República|Rua do Comércio|Rua Direita|Rua de Santa Catarina',
    'Lisboa=1###-###|Porto=4###-###|Braga=47##-###|Coimbra=30##-###|Faro=80##-###',
    'sapo.pt|hotmail.com',
  ),
  locale(
    'HU',
    '+36',
    'Bence|Hanna|Máté|Anna|Levente|Zoé|Dominik|Léna|Noel|Luca',
    'Nagy|Kovács|Tóth|Szabó|Horváth|Varga|Kiss|Molnár|Németh|Farkas',
    'Fő utca|Kossuth Lajos utca|Petőfi Sándor utca|Rákóczi út|Ady Endre utca',
    'Budapest=1###|Debrecen=40##|Szeged=67##|Miskolc=35##|Pécs=76##',
    'freemail.hu|citromail.hu',
  ),
  locale(
    'IE',
    '+353',
    'Jack|Emily|James|Grace|Noah|Fiadh|Conor|Sophie|Darragh|Aoife',
    "Murphy|Kelly|O'Sullivan|Walsh|Smith|O'Brien|Byrne|Ryan|O'Connor|O'Neill",
    'Main Street|Church Road|Station Road|Patrick Street|Castle Street|Green Lane',
    'Dublin=D0# @#@#|Cork=T12 @#@#|Galway=H91 @#@#|Limerick=V94 @#@#|Waterford=X91 @#@#',
    'eircom.net|hotmail.com',
    false,
  ),
  locale(
    'GR',
    '+30',
    'Georgios|Maria|Konstantinos|Eleni|Dimitrios|Aikaterini|Ioannis|Vasiliki|Nikolaos|Sofia',
    'Papadopoulos|Papadakis|Georgiou|Dimitriou|Nikolaou|Ioannou|Vlachos|Pappas|Oikonomou|Makris',
    'Odos Ermou|Leoforos Syngrou|Odos Athinas|Odos Tsimiski|Odos Egnatias',
    'Athina=1## ##|Thessaloniki=5## ##|Patra=26# ##|Irakleio=71# ##',
    'yahoo.gr|otenet.gr',
  ),
  locale(
    'DK',
    '+45',
    'William|Emma|Noah|Ida|Oscar|Clara|Lucas|Freja|Carl|Alma',
    'Nielsen|Jensen|Hansen|Pedersen|Andersen|Christensen|Larsen|Sørensen|Rasmussen|Jørgensen',
    'Vestergade|Østergade|Nørregade|Søndergade|Algade|Skolevej',
    'København=1###|Aarhus=8000|Odense=5000|Aalborg=9000|Esbjerg=67##',
    'mail.dk|jubii.dk',
  ),
  locale(
    'FI',
    '+358',
    'Eino|Aino|Onni|Olivia|Leo|Helmi|Väinö|Eevi|Elias|Sofia',
    'Korhonen|Virtanen|Mäkinen|Nieminen|Mäkelä|Hämäläinen|Laine|Heikkinen|Koskinen|Järvinen',
    'Mannerheimintie|Hämeenkatu|Kauppakatu|Koulukatu|Rantatie',
    'Helsinki=00###|Espoo=02###|Tampere=33###|Turku=20###|Oulu=90###',
    'luukku.com|suomi24.fi',
  ),
  locale(
    'SK',
    '+421',
    'Jakub|Sofia|Samuel|Ema|Michal|Nina|Adam|Viktória|Filip|Natália',
    'Horváth|Kováč|Varga|Tóth|Nagy|Baláž|Szabó|Molnár|Balog|Lukáč',
    'Hlavná|Školská|Štúrova|Hviezdoslavova|Námestie SNP',
    'Bratislava=8## ##|Košice=04# ##|Žilina=010 ##|Nitra=949 ##',
    'azet.sk|centrum.sk',
  ),
  locale(
    'BG',
    '+359',
    'Georgi|Maria|Aleksandar|Viktoria|Dimitar|Elena|Ivan|Nikol|Nikolay|Teodora',
    'Ivanov|Georgiev|Dimitrov|Petrov|Nikolov|Hristov|Stoyanov|Todorov|Ilieva|Angelova',
    'ul. Vasil Levski|bul. Bulgaria|ul. Rakovski|ul. Hristo Botev|bul. Tsar Osvoboditel',
    'Sofia=1###|Plovdiv=40##|Varna=90##|Burgas=80##',
    'abv.bg|mail.bg',
  ),
  locale(
    'HR',
    '+385',
    'Luka|Mia|David|Ema|Ivan|Lucija|Jakov|Nika|Marko|Sara',
    'Horvat|Kovačević|Babić|Marić|Jurić|Novak|Kovačić|Knežević|Vuković|Marković',
    'Ilica|Vukovarska ulica|Ulica kralja Tomislava|Zagrebačka cesta|Frankopanska ulica',
    'Zagreb=10###|Split=21###|Rijeka=51###|Osijek=31###',
    'net.hr|t-com.hr',
  ),
  locale(
    'LT',
    '+370',
    'Lukas|Emilija|Matas|Sofija|Jonas|Lėja|Dominykas|Amelija|Benas|Urtė',
    'Kazlauskas|Jankauskas|Petrauskas|Stankevičius|Vasiliauskas|Žukauskas|Butkus|Paulauskas',
    'Gedimino pr.|Laisvės al.|Vilniaus g.|Pilies g.|Savanorių pr.',
    'Vilnius=LT-0####|Kaunas=LT-4####|Klaipėda=LT-9####',
    'inbox.lt|one.lt',
  ),
  locale(
    'SI',
    '+386',
    'Luka|Zala|Filip|Eva|Jakob|Ema|Nik|Sara|Tim|Ana',
    'Novak|Horvat|Kovačič|Krajnc|Zupančič|Potočnik|Kovač|Mlakar|Kos|Vidmar',
    'Slovenska cesta|Prešernova ulica|Trubarjeva cesta|Cankarjeva ulica',
    'Ljubljana=1000|Maribor=2000|Celje=3000|Koper=6000|Kranj=4000',
    'siol.net|gmail.com',
  ),
  locale(
    'LV',
    '+371',
    'Roberts|Sofija|Markuss|Alise|Daniels|Emīlija|Gustavs|Marta|Rihards|Anna',
    'Bērziņš|Kalniņš|Ozoliņš|Jansons|Ozols|Liepiņš|Krūmiņš|Balodis|Eglītis|Zariņš',
    'Brīvības iela|Elizabetes iela|Krišjāņa Barona iela|Dzirnavu iela',
    'Rīga=LV-10##|Daugavpils=LV-54##|Liepāja=LV-34##',
    'inbox.lv|apollo.lv',
  ),
  locale(
    'EE',
    '+372',
    'Robin|Sofia|Oliver|Mia|Rasmus|Eliise|Hugo|Emma|Martin|Lisandra',
    'Tamm|Saar|Sepp|Mägi|Kask|Kukk|Rebane|Ilves|Pärn|Koppel',
    'Pärnu mnt|Narva mnt|Tartu mnt|Pikk tn|Kaubamaja tn',
    'Tallinn=1####|Tartu=5####|Pärnu=8####',
    'hot.ee|mail.ee',
  ),
  locale(
    'LU',
    '+352',
    'Gabriel|Emma|Luca|Mia|Leo|Lara|Noah|Sofia|Tom|Léa',
    'Schmit|Muller|Weber|Wagner|Hoffmann|Thill|Schmitz|Reuter|Klein|Kremer',
    'rue de la Gare|Grand-Rue|avenue de la Liberté|rue du Fort|route d’Arlon',
    'Luxembourg=L-1###|Esch-sur-Alzette=L-4###|Differdange=L-45##',
    'pt.lu|internet.lu',
    false,
  ),
  locale(
    'CY',
    '+357',
    'Andreas|Maria|Georgios|Eleni|Christos|Andri|Michalis|Christina|Panayiotis|Anna',
    'Georgiou|Charalambous|Constantinou|Ioannou|Christodoulou|Papadopoulos|Kyriacou|Michael',
    'Makariou Avenue|Ledras Street|Archbishop Kyprianou|Griva Digeni Avenue',
    'Nicosia=1###|Limassol=3###|Larnaca=6###|Paphos=8###',
    'cytanet.com.cy|hotmail.com',
  ),
  locale(
    'MT',
    '+356',
    'Luca|Emma|Liam|Amelia|Matthew|Eliza|Jacob|Emily|Zack|Julia',
    'Borg|Camilleri|Vella|Farrugia|Zammit|Galea|Micallef|Grech|Attard|Spiteri',
    'Triq il-Kbira|Triq San Pawl|Triq ir-Repubblika|Triq il-Merkanti',
    'Valletta=VLT ####|Birkirkara=BKR ####|Sliema=SLM ####|Mosta=MST ####',
    'maltanet.net|go.net.mt',
  ),
];

const BY_COUNTRY = new Map(LOCALES.map((l) => [l.country, l] as const));

const FALLBACK = locale(
  'XX',
  '+1',
  'Alex|Sam|Chris|Jordan|Taylor|Morgan|Jamie|Robin',
  'Smith|Brown|Taylor|Wilson|Clark|Lee|Walker|Hall',
  'Main Street|High Street|Park Avenue|Station Road|Church Lane',
  'Capital=#####|Harbour City=#####|Riverside=#####',
  'mail.com',
);

/** The locale of a destination country; countries outside the EU-27 get a generic English-style one. */
export function localeOf(country: string): Locale {
  return BY_COUNTRY.get(country) ?? { ...FALLBACK, country };
}

/** Every EU-27 country code. */
export const EU27: readonly string[] = EU27_WEIGHTS.map(([c]) => c);
