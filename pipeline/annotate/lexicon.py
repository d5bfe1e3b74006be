"""Word lists that type names from their context (ENCODING.md section 1, names).

All entries are lower-case; lookups lower-case the token first.
"""
from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _with_plurals(words: frozenset[str]) -> frozenset[str]:
    """The words and their plurals ("bureau" and "bureaus", "ministry" and "ministries")."""
    plural = {w[:-1] + "ies" if w.endswith("y") and w[-2:-1] not in "aeiou" else w + "es" if w.endswith(("s", "x", "ch", "sh"))
              else w + "s" for w in words}
    return words | plural


# Titles, ranks and offices before a personal name: outside the span.
PERSON_TITLES = _words("""
general colonel lieutenant lt lt. major captain capt capt. admiral vice rear marshal field commander
sergeant sgt corporal private brigadier commodore ensign generalissimo president premier prime minister
emperor empress king queen prince princess lord lady sir dame baron count marquis viscount duke
mr mr. mrs mrs. ms ms. dr dr. professor prof prof. rev rev. reverend father bishop cardinal pope
chairman secretary ambassador governor governor-general consul envoy senator representative mayor
chancellor commissar minister deputy chief justice judge leader dictator
gen col adm maj sgt cpl capt cmdr brig pvt
foreign defense defence war navy army interior internal affairs state home vice-admiral
lieutenant-general major-general lieutenant-colonel rear-admiral staff
miss madame monsieur mademoiselle mevrouw meneer mijnheer juffrouw herr frau fraulein fräulein senor señor
senora señora dona doña don
right honourable honorable hon hon.
grandmother grandfather grandma grandpa uncle aunt auntie cousin nephew niece tante oom oma opa mama papa
civilian internee prisoner detainee repatriate patient nurse seaman sailor soldier trooper gunner
""")
# Honorifics: titles that COMMON also lists (they open sentences), but a title all the same
HONORIFICS = _words("mr mr. mrs mrs. ms ms. miss dr dr. madame monsieur mademoiselle mevrouw meneer mijnheer "
                    "juffrouw herr frau fraulein fräulein senor señor senora señora")
# Words of an office that, with titles, make up the office's name alone ("Commanding General",
# "Political Adviser", "Inspector General"): untagged (ENCODING.md, "Offices are titles")
OFFICE_TERMS = _words("""
commanding supreme political adviser advisor inspector adjutant assistant acting chief deputy
high resident special military naval civil general commander secretary officer of the in for
""")
# Adjectives that, standing alone after "the", name an ocean ("to the Pacific")
OCEAN_ADJECTIVES = _words("pacific atlantic arctic")
# Heads of a government's description: after a place or demonym, not an organisation's name
# ("U. S. Govt", "the Chinese Government"); the place keeps its tag
GOVERNMENT_HEADS = _words("government govt administration regime authorities")
# Styles that are part of a ruler's conventional name with one word after them ("Emperor Meiji")
REGNAL_STYLES = _words("emperor empress")
# Words of an office's name ("Army Minister", "Foreign Secretary"): a title before a person's
# name, but the first word of an organisation's ("Army Advisory Group", "State Department").
OFFICE_WORDS = _words("foreign defense defence war navy army interior internal affairs state home")
# Lower-case words before a name that mark a person ("Soviet leader Josef Stalin").
PERSON_CUES_BEFORE = _words("""
leader premier dictator emperor general officer commander minister president ambassador author
historian journalist writer poet novelist scholar professor colonel admiral marshal captain lieutenant
spy envoy diplomat chairman secretary governor sergeant pilot prisoner survivor veteran interpreter
son daughter brother sister wife husband boy girl mother father grandson granddaughter nephew niece
cousin uncle aunt grandmother grandfather friend
""")
# Nouns before "named" or "called" that type the name after them ("a man named Asada")
NAMED_PERSON = _words("man woman boy girl officer soldier prisoner clerk guard interpreter doctor friend fellow "
                      "sergeant lieutenant captain colonel major general priest teacher child son daughter")
NAMED_PLACE = _words("village town city camp station port island river mountain district province place")
# Lower-case words after a name that mark a person ("Hata said"); a phrase of two words is matched whole.
PERSON_CUES_AFTER = _words("said says wrote writes told recalled argued stated died graduated married who whose "
                           "himself herself") | {"was born"}
# Words before a name that mark a place: prepositions of location and motion.
PLACE_PREPOSITIONS = _words("""
in at from to into near toward towards via across through outside inside around off onto on out-of
throughout within beyond between reached entered occupied invaded bombed captured liberated
evacuated annexed visited
""")
# Prepositions that place what follows ("near Iida", "on Woleai"): a place, even a word that is a surname
LOCATIVE_PREPOSITIONS = _words("in at into near toward towards via across outside inside around off onto on "
                               "throughout within beyond")
# Lower-case generic words after a place name ("Cishan mountain", "Khabarovsk district").
PLACE_NOUNS_AFTER = _words("""
mountain mountains district county province prefecture area region city town village port harbor
harbour island islands islet islets coast peninsula river valley bay gulf strait sea lake plain
plains desert oblast krai raion airfield airport station front sector border frontier railway
line camp camps group garrison base heights hills ridge
""")
# Capitalised heads that make a place name when last ("Liaoning Province").
PLACE_HEADS = _words("""
island islands isles isle islet islets atoll archipelago reef peninsula cape point head
province provinces prefecture district county territory territories oblast krai region state
gulf bay sea seas ocean strait straits channel sound harbor harbour lagoon lake river rivers
canal creek falls mountain mountains mount mt mts range hills hill heights plateau pass valley
plain plains desert basin coast shore forest
city town village port
railway railroad line road highway street avenue bridge square airfield airport aerodrome
station dock docks shipyard dockyard yard arsenal depot base airbase airstrip barracks fortress wharf
pier camp prison gaol jail castle palace shrine temple cathedral mosque banner
crescent lane terrace quay boulevard hall
church hospital cemetery memorial center centre park stadium museum library tower dam mine
""")
# Facilities named by a number: "Camp 14" (the number is part of the name)
NUMBERED_FACILITIES = _words("camp")
# Adjectives that name one body of a wider organisation ("International Red Cross")
BODY_ADJECTIVES = _words("international national imperial royal central")
# Heads of named buildings and institutions' houses, which "of" and a place may follow
# ("Japanese American Museum of San Jose", "Hall of Supreme Harmony")
FACILITY_HEADS = _words("museum hall library church cathedral palace temple shrine hospital memorial")
# First words that make a place name ("Port Toro", "Mount Fuji", "Lake Khasan").
# with the generic words of other languages that open place names ("Cap Saint-Jacques", "Tandjong
# Priok", "Ban Pong", "Batu Gajah", "Bukit Timah", "Pulau Brani", "Nakhon Pathom")
PLACE_FIRST = _words("""port mount mt st lake cape fort gulf sea bay isle river strait straits camp san santa santo sao
cap cabo ban nakhon muang kampong kampung bukit batu sungai sungei pulau pulo tanjung tandjong tanjong kota kuala""")
# Capitalised heads that make an organisation's name when last ("Kwantung Army").
ORG_HEADS = _with_plurals(_words("""
army armies navy corps brigade brigades division divisions battalion regiment regiments fleet
flotilla squadron squadrons group groups wing force forces command guard guards detachment unit
ministry department bureau office agency board commission committee council cabinet diet
parliament assembly congress senate government govt administration secretariat headquarters staff
authority section branch team mission directorate
archive archives
bank company corporation corp co inc ltd limited firm trust zaibatsu kaisha works motors industries
shipbuilding airlines trading
party league union federation association society alliance front movement organization
organisation institute institution university college academy school foundation club
church mission press agency shimbun times post herald tribune gazette journal news
powers court tribunal police kempeitai constabulary
div regt bn bde
"""))
HEADS = PLACE_HEADS | ORG_HEADS
# First words that make an organisation's name ("Bank of Japan", "Ministry of Foreign Affairs").
ORG_FIRST = _words("""
bank ministry department bureau office university college academy institute society
association league union council committee commission government party federation
embassy consulate court
""")
# Event and document words: a capitalised phrase they head is not tagged,
# though a name inside it is ("Battle of the Kuril Islands", "Potsdam Declaration").
EVENT_WORDS = _words("""
battle battles invasion evacuation siege war wars campaign operation operations offensive incident
massacre treaty pact agreement accord declaration conference convention protocol charter act
rescript order orders edict decree proclamation law plan doctrine occupation surrender armistice
uprising rebellion revolution expedition raid landing landings crisis affair trial trials
history volume chapter clause article section appendix note notes report record records
see also references bibliography books sources theater theatre day
""")
# Adjectives and demonyms: never places themselves (ENCODING: "Soviet forces").
DEMONYMS = _words("""
soviet soviets japanese chinese russian russians american americans british korean koreans
mongolian mongolians manchurian manchu german germans french dutch australian australians
filipino filipinos indonesian vietnamese thai burmese indian indians english european europeans
asian asiatic pacific western eastern finnish polish italian spanish portuguese canadian
siberian sino russo anglo allied axis nationalist nationalists communist communists jap japs
imperial red white royal
""")
# Capitalised prefixes that stay inside a place name ("Northeast China", "Mainland Japan").
PLACE_PREFIXES = _words("""
north south east west northern southern eastern western central northeast northwest southeast
southwest northeastern northwestern southeastern southwestern mainland greater inner outer upper
lower new old
""")
# Lower-case nouns before a name that mark a vessel ("the mine layer Okhotsk").
VESSEL_CUES = _words("""
ship ships vessel vessels steamer steamship liner freighter tanker transport transports cruiser
cruisers destroyer destroyers battleship battleships carrier carriers submarine submarines
gunboat gunboats frigate frigates corvette minesweeper minesweepers minelayer layer coastguard
icebreaker hospital-ship flagship tender trawler junk boat boats sloop troopship troopships
troop-ship packet collier
""")
VESSEL_PREFIXES = _words("uss hms hmas ijn hnlms ss ms rms")
VESSEL_HEADS = _words("maru")
# Ordinal words that open a unit's name ("Eighth United States Army", "Twenty-fifth Army").
ORDINAL_WORDS = _words("""
first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth
fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth fortieth
""")
# Plural nouns whose possessive belongs inside a name ("People's Republic of China",
# "Workers' Party of Korea"): a collective, not the possessor of the name that follows.
COLLECTIVE_POSSESSORS = _words("""
people peoples workers peasants soldiers sailors seamen women children veterans farmers citizens
nationals commissars students youth
""")
# Connectors allowed inside a name.
CONNECTORS = _words("of the and for de da del der van von al bin ibn la le du")
# Common words that open sentences or headings: not names by themselves.
COMMON = _words("""
a an the this that these those there their they them then thus this its it he she his her we our
you your i my me us who whom whose which what when where why how while whereas because although
though if unless until after before since during as at by for from in into of off on onto out
over under with within without about above across against along among around behind below
beneath beside besides between beyond but and or nor so yet not no yes all any both each either
every few many more most much neither none other others several some such only own same than too
very can could may might must shall should will would do does did done has have had having is
are was were be been being also however moreover furthermore meanwhile nevertheless therefore
instead immediately later earlier soon finally eventually initially still already just even
once twice again according following including despite throughout toward towards upon via to
one two three four five six seven eight nine ten first second third last next new old
many most some those those's here today tomorrow yesterday now often sometimes never always
mr mrs ms dr chapter part figure table see note notes ibid op cit id vol pp p hq
world people number no nos celsius fahrenheit centigrade former late
eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty
sixty seventy eighty ninety hundred thousand million billion
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
""")
# Lower-case words after a capitalised word that make it a class or type, not a name ("Liberty ships").
CLASS_NOUNS_AFTER = _words("ship ships class type bombers bomber fighters fighter aircraft tanks tank rifles rifle guns")
