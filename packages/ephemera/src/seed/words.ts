// Vocabulary of the generated archive: early-20th-century names, towns and
// postcard phrases. Surnames are many and spread out so a surname search finds
// a realistic few hundred cards in 100,000.
export const FIRST_NAMES = (
  'Mary Anna Emma Elizabeth Minnie Margaret Ida Alice Bertha Sarah Annie Clara Ella Florence Cora Martha Laura ' +
  'Nellie Grace Carrie Maude Mabel Bessie Jennie Gertrude Julia Hattie Edith Mattie Rose Catherine Lillian Ada ' +
  'Lillie Helen Jessie Louise Ethel Lula Myrtle Eva Frances Lena Lucy Edna Maggie Pearl Daisy Fannie Josephine ' +
  'John William James George Charles Frank Joseph Henry Robert Thomas Edward Harry Walter Arthur Fred Albert ' +
  'Samuel Clarence Louis David Joe Charlie Richard Ernest Roy Will Andrew Jesse Oscar Willie Daniel Benjamin ' +
  'Carl Sam Alfred Earl Peter Elmer Frederick Howard Lewis Ralph Herbert Paul Lee Tom Herman Martin Jacob Michael'
).split(' ');

export const SURNAMES = (
  'Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson Thompson ' +
  'White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter ' +
  'Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers ' +
  'Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray ' +
  'Hughes Price Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Fisher Henderson Coleman ' +
  'Simmons Patterson Jordan Reynolds Hamilton Graham Wallace Woods Cole West Owens Marshall Ellis Harrison Gibson ' +
  'McDonald Kennedy Wells Hayes Burns Shaw Holmes Rice Hunt Black Daniels Palmer Mills Grant Knight Ferguson Stone ' +
  'Hawkins Dunn Perkins Hudson Spencer Stephens Pierce Hansen Wagner Schmidt Weber Schneider Becker Hoffmann ' +
  'Schulz Koch Richter Klein Wolf Schroeder Neumann Schwarz Zimmermann Braun Hofmann Hartmann Lange Werner Krause ' +
  'Lehmann Kohler Olson Larson Lindqvist Nilsson Swanson Gustafson Carlson Berg Lund Dahl Moreau Laurent Girard ' +
  'Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefebvre Leroy Roux Fournier Mercier Blanc Guerin ' +
  'Boucher Caron Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti ' +
  'OBrien Byrne Ryan Walsh Doyle McCarthy Gallagher Doherty Kennedy Lynch Murray Quinn Moran Kowalski Nowak ' +
  'Wisniewski Novak Horvat Kovacs Szabo Toth Nagy Dvorak Svoboda Cerny Prochazka Hanson Thornbury Ashworth ' +
  'Pendleton Whitcomb Hollister Blackwood Fairbanks Haverford Winslow Pettibone Quackenbush Vanderpool Ostrander'
).split(' ');

/** [town, region, country, latitude, longitude] */
export const PLACES: ReadonlyArray<readonly [string, string, string, number, number]> = [
  ['Springfield', 'Illinois', 'USA', 39.8, -89.64],
  ['Peoria', 'Illinois', 'USA', 40.69, -89.59],
  ['Galena', 'Illinois', 'USA', 42.42, -90.43],
  ['Davenport', 'Iowa', 'USA', 41.52, -90.58],
  ['Dubuque', 'Iowa', 'USA', 42.5, -90.66],
  ['Madison', 'Wisconsin', 'USA', 43.07, -89.4],
  ['La Crosse', 'Wisconsin', 'USA', 43.8, -91.24],
  ['Duluth', 'Minnesota', 'USA', 46.79, -92.1],
  ['Saint Paul', 'Minnesota', 'USA', 44.95, -93.09],
  ['Fargo', 'North Dakota', 'USA', 46.88, -96.79],
  ['Omaha', 'Nebraska', 'USA', 41.26, -95.93],
  ['Topeka', 'Kansas', 'USA', 39.05, -95.68],
  ['Wichita', 'Kansas', 'USA', 37.69, -97.34],
  ['Saint Joseph', 'Missouri', 'USA', 39.77, -94.85],
  ['Hannibal', 'Missouri', 'USA', 39.71, -91.36],
  ['Columbus', 'Ohio', 'USA', 39.96, -83.0],
  ['Sandusky', 'Ohio', 'USA', 41.45, -82.71],
  ['Dayton', 'Ohio', 'USA', 39.76, -84.19],
  ['Erie', 'Pennsylvania', 'USA', 42.13, -80.09],
  ['Scranton', 'Pennsylvania', 'USA', 41.41, -75.66],
  ['Lancaster', 'Pennsylvania', 'USA', 40.04, -76.31],
  ['Atlantic City', 'New Jersey', 'USA', 39.36, -74.42],
  ['Asbury Park', 'New Jersey', 'USA', 40.22, -74.01],
  ['Saratoga Springs', 'New York', 'USA', 43.08, -73.78],
  ['Niagara Falls', 'New York', 'USA', 43.09, -79.06],
  ['Poughkeepsie', 'New York', 'USA', 41.7, -73.92],
  ['Burlington', 'Vermont', 'USA', 44.48, -73.21],
  ['Portland', 'Maine', 'USA', 43.66, -70.26],
  ['Bar Harbor', 'Maine', 'USA', 44.39, -68.2],
  ['Newport', 'Rhode Island', 'USA', 41.49, -71.31],
  ['Gloucester', 'Massachusetts', 'USA', 42.62, -70.66],
  ['Worcester', 'Massachusetts', 'USA', 42.26, -71.8],
  ['New Haven', 'Connecticut', 'USA', 41.31, -72.92],
  ['Asheville', 'North Carolina', 'USA', 35.6, -82.55],
  ['Savannah', 'Georgia', 'USA', 32.08, -81.09],
  ['Saint Augustine', 'Florida', 'USA', 29.9, -81.31],
  ['Mobile', 'Alabama', 'USA', 30.69, -88.04],
  ['Natchez', 'Mississippi', 'USA', 31.56, -91.4],
  ['Galveston', 'Texas', 'USA', 29.3, -94.8],
  ['San Antonio', 'Texas', 'USA', 29.42, -98.49],
  ['Santa Fe', 'New Mexico', 'USA', 35.69, -105.94],
  ['Colorado Springs', 'Colorado', 'USA', 38.83, -104.82],
  ['Cheyenne', 'Wyoming', 'USA', 41.14, -104.82],
  ['Butte', 'Montana', 'USA', 46.0, -112.53],
  ['Boise', 'Idaho', 'USA', 43.62, -116.2],
  ['Spokane', 'Washington', 'USA', 47.66, -117.43],
  ['Tacoma', 'Washington', 'USA', 47.25, -122.44],
  ['Astoria', 'Oregon', 'USA', 46.19, -123.83],
  ['Sacramento', 'California', 'USA', 38.58, -121.49],
  ['Pasadena', 'California', 'USA', 34.15, -118.14],
  ['Brighton', 'Sussex', 'England', 50.82, -0.14],
  ['Blackpool', 'Lancashire', 'England', 53.82, -3.05],
  ['Scarborough', 'Yorkshire', 'England', 54.28, -0.4],
  ['Bath', 'Somerset', 'England', 51.38, -2.36],
  ['Oban', 'Argyll', 'Scotland', 56.41, -5.47],
  ['Llandudno', 'Caernarfonshire', 'Wales', 53.32, -3.83],
  ['Deauville', 'Calvados', 'France', 49.36, 0.07],
  ['Biarritz', 'Basses-Pyrenees', 'France', 43.48, -1.56],
  ['Nice', 'Alpes-Maritimes', 'France', 43.7, 7.27],
  ['Lucerne', 'Lucerne', 'Switzerland', 47.05, 8.31],
  ['Baden-Baden', 'Baden', 'Germany', 48.76, 8.24],
  ['Halifax', 'Nova Scotia', 'Canada', 44.65, -63.58],
  ['Quebec', 'Quebec', 'Canada', 46.81, -71.21],
  ['Banff', 'Alberta', 'Canada', 51.18, -115.57],
];

export const VIEWS = [
  'Main Street looking north',
  'Court House',
  'Union Depot',
  'High School',
  'Public Library',
  'Bird\u2019s-eye view',
  'Boardwalk at night',
  'City Park bandstand',
  'Post Office',
  'First Methodist Church',
  'Hotel and gardens',
  'Bathing beach',
  'The harbor',
  'Trolley line',
  'Fair grounds',
  'Suspension bridge',
  'Opera House',
  'Lovers\u2019 Lane',
];

export const GREETINGS = ['Dear', 'My dear', 'Dearest', 'Hello', 'Friend'];
export const OPENINGS = [
  'Arrived safe in {place} on Tuesday.',
  'We are having a grand time here in {place}.',
  'Just a card to let you know we got to {place} all right.',
  'This is where {mention} works now.',
  'Saw {mention} at church on Sunday, she asked after you.',
  'The weather in {place} has been very warm.',
  'Got your letter and was glad to hear from you.',
  'How are you all at home? We are well.',
];
export const MIDDLES = [
  '{mention} and I went down to the lake yesterday.',
  'Tell {mention} I will write soon.',
  'The crops look fine this year.',
  'We expect to be home by the first of the month.',
  'Mother is better now, the doctor came twice.',
  'Received the package, many thanks.',
  'Uncle {mention} is here for a week.',
  'Will you meet the train on Friday?',
  'We leave for {place2} in the morning.',
  'The baby has two teeth now.',
];
export const CLOSINGS = ['Love to all,', 'Your friend,', 'As ever,', 'Write soon,', 'With love,', 'Yours truly,'];
export const TAGS = (
  'main-street railroad depot church school courthouse beach boardwalk hotel lake river bridge ' +
  'trolley park greeting birthday christmas easter halloween valentine new-year rppc linen white-border ' +
  'divided-back undivided-back embossed hand-colored harbor ship farm fair library post-office ' +
  'mill bandstand parade'
).split(' ');
export const SELLER_WORDS = 'vintage paper attic postal ephemera antique oldmail deltiology estate barn'.split(' ');
