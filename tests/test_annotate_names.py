import csv

import pytest

from pipeline.annotate import UnregisteredName, annotate, write_unregistered_csv
from pipeline.annotate.register import RegisterError, entity_id, load_register
from pipeline.config import Settings

from tests.annotate_helpers import annotated, names


def test_titles_and_possessives_stay_outside():
    doc = annotated("They met General Douglas MacArthur and Colonel Takushiro Hattori. "
                    "Stalin’s order went to President Boris Yeltsin's office.\n")
    assert names(doc) == [("person", "Douglas MacArthur"), ("person", "Takushiro Hattori"),
                          ("person", "Stalin"), ("person", "Boris Yeltsin")]


def test_conventional_title_stays_inside():
    assert names(annotated("a speech made by Emperor Showa on the radio\n")) == [("person", "Emperor Showa")]


def test_demonyms_and_lower_case_descriptions_are_not_names():
    doc = annotated("Soviet forces and the Japanese settlers met the Chinese Nationalist government "
                    "in the West. The Soviets left.\n")
    assert names(doc) == []


def test_generic_words_inside_only_when_capitalised():
    doc = annotated("Huludao in Liaoning Province faces the Aniva Gulf near Cishan mountain "
                    "and the Khabarovsk district.\n")
    assert names(doc) == [("place", "Huludao"), ("place", "Liaoning Province"), ("place", "Aniva Gulf"),
                          ("place", "Cishan"), ("place", "Khabarovsk")]


def test_unknown_names_typed_from_context():
    doc = annotated("The 7th Division landed at Port Kessel (now Vostok) with the Kessel Frontier "
                    "Army, and Captain Ivan Brodsky boarded the freighter Zvezda and the Kaiyo Maru.\n")
    assert names(doc) == [("org", "7th Division"), ("place", "Port Kessel"), ("place", "Vostok"),
                          ("org", "Kessel Frontier Army"),
                          ("person", "Ivan Brodsky"), ("vessel", "Zvezda"), ("vessel", "Kaiyo Maru")]


def test_events_and_titles_are_not_tagged_but_names_inside_are():
    doc = annotated("After the Potsdam Declaration and World War II, the Battle of the Kuril Islands "
                    "and Operation Iceberg ended the Cold War.\n")
    assert names(doc) == [("place", "Potsdam"), ("place", "Kuril Islands")]


def test_a_surname_joins_its_full_name_and_sentence_openers_need_evidence():
    doc = annotated("Sadao Ikeda, 94, was captured. Ikeda said so. Engineers came.\n")
    assert names(doc) == [("person", "Sadao Ikeda"), ("person", "Ikeda")]
    refs = {b.text[s.start:s.end]: s.attrs["ref"] for b in doc.blocks for s in b.spans if s.kind == "person"}
    assert refs["Ikeda"] == refs["Sadao Ikeda"] == "person-sadao-ikeda"


def test_variants_share_one_register_entry_with_authority_ids():
    doc = annotated("Josef Stalin spoke. Later Stalin and the USSR agreed with Japan.\n")
    refs = [s.attrs["ref"] for b in doc.blocks for s in b.spans]
    assert refs == ["person-josef-stalin", "person-josef-stalin", "place-soviet-union", "place-japan"]
    stalin = next(e for e in doc.entities if e.id == "person-josef-stalin")
    assert (stalin.name, stalin.variants, stalin.wikidata) == ("Josef Stalin", ["Stalin"], "Q855")


def test_ocr_slips_match_the_register_but_short_names_and_adjectives_do_not():
    reg = load_register()
    assert reg.lookup("Manchurla", ocr=True).id == "place-manchuria"
    assert reg.lookup("Vladivostock", ocr=True).id == "place-vladivostok"
    assert reg.lookup("Khabarvosk", ocr=True).id == "place-khabarovsk"  # two letters swapped
    assert reg.lookup("Korean", ocr=True) is None
    assert reg.lookup("Japen", ocr=True) is None  # under six letters: exact only
    # a common word was read as written: "German" is no slip for "Germany"
    assert reg.lookup("Germany", ocr=True).id == "place-germany" and reg.lookup("German", ocr=True) is None
    # a word of the register's names is read as written: "Kwantung" (of the Kwantung Army) is no "Kwangtung"
    assert reg.lookup("Kwangtung", ocr=True).id == "place-guangdong" and reg.lookup("Kwantung", ocr=True) is None
    assert names(annotated("for the Kwantung army, they said\n", ocr=True)) == [("org", "Kwantung army")]


def test_a_documents_own_language_has_common_words_that_are_no_names():
    text = "Les Anglais sont partis. Ce matin, Dieu merci, Jean Dupont est arrivé à Paris le 10 JANVIER I917.\n"
    assert names(annotated(text, ocr=True, language="fr")) == [("person", "Jean Dupont"), ("place", "Paris")]
    # nor is an English cue word one where it is a word of the text's language ("son": his)
    assert names(annotated("Il le garda contre lui. SON SOURIRE\n", ocr=True, language="fr")) == []
    # read as English, the French words are unknown capitalised words, and "Les" a given name
    as_english = names(annotated(text, ocr=True))
    assert ("person", "Les Anglais") in as_english
    assert not any(any(c.isdigit() for c in t) for _, t in as_english)  # "I917" is a misread year, no name


def test_large_cities_are_places_over_weak_evidence_of_a_person():
    doc = annotated("The family sailed from Amsterdam to Suez. He left Amsterdam in May 1946. "
                    "Reading the report, Lincoln wept.\n")
    assert names(doc) == [("place", "Amsterdam"), ("place", "Suez"), ("place", "Amsterdam"), ("person", "Lincoln")]


def test_prose_in_capitals_is_read_as_typed_prose():
    doc = annotated("CAMP RELEASED BY AMERICANS STOP JOAN AND I SAFE AND WELL STOP EXPECT TO SAIL ABOUT OCTOBER "
                    "FOR SOUTHAMPTON STOP TELL MOTHER STOP ALL LOVE = CYRIL\n")
    assert names(doc) == [("person", "JOAN"), ("place", "SOUTHAMPTON"), ("person", "CYRIL")]
    # a heading in capitals is still read in title case, strictly: no names from its common words
    assert names(annotated("REPORT ON THE RELEASE OF THE CAMP\n\nThe camp was released.\n")) == []


def test_a_generic_head_lower_case_in_the_prose_is_outside_the_name_in_the_heading_too():
    doc = annotated("THE MOTAOLING HEIGHTS AND AFTER\n\nThe regiment fought on the Motaoling heights for three days.\n")
    assert names(doc) == [("place", "MOTAOLING"), ("place", "Motaoling")]


def test_a_vessel_cue_does_not_reach_across_a_sentences_end():
    doc = annotated("5. Transport. Trucks of the corps carried the sick. The transport Antrim Star sailed.\n")
    assert names(doc) == [("vessel", "Antrim Star")]


def test_a_people_is_no_person():
    doc = annotated("Czech Jews and Young Jews were deported from Prague. The report names Williams and Adams.\n")
    assert names(doc) == [("place", "Prague"), ("person", "Williams"), ("person", "Adams")]
    # nor is a people a place, nor the adjective of a state's official name ("Czech Republic") a person
    doc = annotated("The houses were occupied by Jews, guarded by Czech police and Slovak guards.\n", ocr=True)
    assert names(doc) == []


def test_states_are_places_and_their_peoples_are_not():
    doc = annotated("He went to Austria in 1938. The Rabbis of Austria wrote to the Austrian and Italian "
                    "committees; the Germans had left.\n")
    assert names(doc) == [("place", "Austria"), ("place", "Austria")]
    assert names(annotated("Czechoslovakia and the Union of Soviet Socialist Republics signed.\n")) == [
        ("place", "Czechoslovakia"), ("place", "Union of Soviet Socialist Republics")]


def test_typed_text_is_matched_exactly():
    reg = load_register()
    assert reg.lookup("Manchurla") is None and reg.lookup("Nagata") is None
    assert reg.lookup("Nagata", ocr=True).id == "vessel-nagato"
    assert reg.lookup("manchuria").id == "place-manchuria"  # case and accents still fold


def test_context_overrides_register_type_for_vessels():
    doc = annotated("The mine layer Okhotsk sailed into the Sea of Okhotsk.\n")
    assert names(doc) == [("vessel", "Okhotsk"), ("place", "Sea of Okhotsk")]


def test_one_type_per_name_in_a_document():
    doc = annotated("Troops reached Tomari. Later the garrison at Tomari surrendered, and Tomari burned.\n")
    assert {k for k, t in names(doc) if t == "Tomari"} == {"place"}


def test_ids_are_stable_ncnames():
    assert entity_id("place", "Japan") == "place-japan"
    assert entity_id("person", "Lavrentiy Beria") == "person-lavrentiy-beria"
    assert entity_id("place", "Xi'an") == "place-xian"
    assert entity_id("place", "Хабаровск").startswith("place-x")
    a, b = annotated("Troops reached Tomari.\n"), annotated("In 1945 the town of Tomari burned.\n")
    assert a.entities[0].id == b.entities[0].id == "place-tomari"


def test_bibliography_authors():
    doc = annotated("= T =\n\n==Books==\n- Watt, Lori. \"Settler Colonialism in the Twentieth Century\"\n")
    assert names(doc) == [("person", "Watt, Lori")]


def test_label_is_not_annotated_and_list_items_are():
    doc = annotated("The order stated:\n\n(a) 150,000 POWs to Maritime Provinces.\n")
    item = doc.blocks[-1]
    assert item.label == "(a)"
    assert [(s.kind, item.text[s.start:s.end]) for s in item.spans] == [
        ("num", "150,000"), ("place", "Maritime Provinces")]


def test_unregistered_names_are_returned_and_aggregated(tmp_path):
    doc = annotated("Troops reached Tomari. Later Tomari burned.\n")
    found = annotate(doc, Settings())
    assert {(u.name, u.kind) for u in found} == {("Tomari", "place")}
    path = tmp_path / "unregistered.csv"
    write_unregistered_csv(path, found + [UnregisteredName("Zvezda", "vessel", "the freighter Zvezda", "ed1"),
                                          UnregisteredName("Zvezda", "vessel", "the freighter Zvezda", "ed2")])
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [(r["name"], r["type"], r["count"], r["editions"]) for r in rows] == [
        ("Tomari", "place", "2", ""), ("Zvezda", "vessel", "2", "ed1 ed2")]
    assert "Troops reached Tomari" in rows[0]["contexts"]
    # the first five columns, copied tab-separated as a spreadsheet does, are register lines
    register = tmp_path / "ours.tsv"
    rows = list(csv.reader(path.open(encoding="utf-8")))[1:]
    register.write_text("".join("\t".join(row[:5]) + "\n" for row in rows), encoding="utf-8")
    assert load_register(register).lookup("Zvezda").kind == "vessel"


def test_malformed_register_is_reported_with_its_line(tmp_path):
    bad = tmp_path / "r.tsv"
    bad.write_text("name\ttype\tvariants\twikidata\tgeonames\nJapan\tcountry\t\t\t\n", encoding="utf-8")
    with pytest.raises(RegisterError, match=r"r.tsv:2: type 'country'"):
        load_register(bad)
    bad.write_text("Japan\tplace\t\tQ17x\t\n", encoding="utf-8")
    with pytest.raises(RegisterError, match="wikidata"):
        load_register(bad)


def test_register_is_a_domain_register():
    reg = load_register()
    kinds = {e.kind for e in reg.entries}
    assert len(reg.entries) >= 300 and kinds == {"person", "place", "org", "vessel"}
    assert len({e.id for e in reg.entries}) == len(reg.entries)


def test_possessive_of_a_collective_stays_inside_a_name():
    doc = annotated("Delegates of the Chinese Peasants' Association met the People's Commissar "
                    "Lavrentiy Beria and officials of St. Mary's Hospital; Stalin's envoy left.\n")
    assert names(doc) == [("org", "Chinese Peasants' Association"), ("person", "Lavrentiy Beria"),
                          ("place", "St. Mary's Hospital"), ("person", "Stalin")]


def test_facility_named_after_a_known_place_is_one_place():
    doc = annotated("Aircraft left Sasebo Air Base for the Mukden Arsenal, crossed the Yalu Bridge "
                    "and landed at the Harbin Airfield.\n")
    assert names(doc) == [("place", "Sasebo Air Base"), ("place", "Mukden Arsenal"),
                          ("place", "Yalu Bridge"), ("place", "Harbin Airfield")]


def test_organisation_named_after_a_place_is_one_organisation():
    doc = annotated("Engineers of the Manchuria Electric Company and the Korea Association of "
                    "Former Settlers met at Keijo Imperial University.\n")
    assert names(doc) == [("org", "Manchuria Electric Company"),
                          ("org", "Korea Association of Former Settlers"), ("org", "Keijo Imperial University")]


def test_ordinal_words_open_unit_names():
    doc = annotated("The Sixth United States Army relieved the Twenty-fifth Army; later the Japanese "
                    "Fourth Army and the Third Fleet withdrew.\n")
    assert names(doc) == [("org", "Sixth United States Army"), ("org", "Twenty-fifth Army"),
                          ("org", "Fourth Army"), ("org", "Third Fleet")]
    assert names(annotated("The Second Fleet of the Soviet Navy sailed.\n")) == [
        ("org", "Second Fleet"), ("org", "Soviet Navy")]


def test_and_inside_an_organisation_of_name_but_not_between_two_names():
    doc = annotated("The Ministry of Commerce and Industry wrote to the Bank of Japan and Korea "
                    "Electric Company.\n")
    assert names(doc) == [("org", "Ministry of Commerce and Industry"), ("org", "Bank of Japan"),
                          ("org", "Korea Electric Company")]


def test_unit_letter_after_a_number_is_not_an_initial():
    doc = annotated("It fell to minus 35 C. Nobody moved. Water boiled at 212 F. Then Major R. Smith came.\n")
    assert names(doc) == [("person", "R. Smith")]
    assert [s.attrs for b in doc.blocks for s in b.spans if s.kind == "measure"] == [
        {"quantity": "-35", "unit": "Cel"}, {"quantity": "212", "unit": "degF"}]


def test_a_single_word_ending_a_document_title_is_not_a_name():
    doc = annotated("See the Report of the Surgeon, Fifth Air Force, and the History of the Regiment.\n")
    assert names(doc) == [("org", "Fifth Air Force")]


def test_ocr_split_letters_match_the_register():
    assert names(annotated("Veterans of the Kvvantung Arrny returned.\n", ocr=True)) == [("org", "Kvvantung Arrny")]


def test_an_archives_register_extends_and_overrides_the_bundled_one(tmp_path):
    own = tmp_path / "ours.tsv"
    own.write_text("name\ttype\tvariants\twikidata\tgeonames\n"
                   "Tomari\tplace\tTomarioru\t\t\n"
                   "Grand Total\tnone\n"
                   "Kure Naval Arsenal\torg\tKure\n", encoding="utf-8")
    reg = load_register(own)
    assert reg.lookup("Tomarioru").id == "place-tomari"
    assert reg.lookup("Kure").id == "org-kure-naval-arsenal"  # the archive's line wins for a shared form
    doc = annotated("The Grand Total reached Tomari.\n")
    annotate(doc, Settings(), register=reg)
    assert names(doc) == [("place", "Tomari")]


@pytest.mark.parametrize("line,message", [
    ("General Tojo\tperson", "begins with a title"),
    ("Hideki Tojo\tperson\tPremier Tojo", "begins with a title"),
    ("Japan\tplace\t\tQ17\nEmpire of Japan\tplace\t\tQ17", "wikidata id Q17 is already the id of line 1"),
    ("Kwantung Army\torg\t\t\t123", "a geonames id belongs to a place"),
    ("\tplace", "the name column is empty"),
    ("Japan place", "type '' is not one of"),
])
def test_register_lines_are_checked(tmp_path, line, message):
    bad = tmp_path / "r.tsv"
    bad.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(RegisterError, match=message):
        load_register(bad)


def test_the_bundled_register_keeps_historical_states_apart_from_todays():
    reg = load_register()
    assert reg.lookup("Russian Empire").wikidata == "Q34266" and reg.lookup("Russia").wikidata == "Q159"
    assert reg.lookup("Empire of Japan").wikidata == "Q188712" and reg.lookup("Japan").wikidata == "Q17"
    for historical in ("Dutch East Indies", "British India", "Annam", "Tonkin", "Hulan"):
        entry = reg.lookup(historical)
        assert entry is not None and entry.name == historical, historical


# Positive evidence and what a document's words say (ENCODING.md, "Beyond the samples"); texts written
# for these tests.

def test_capitalised_common_words_are_no_names():
    doc = annotated("The Grand Total of Miscellaneous Persons rose; Repatriation Activities ended.\n")
    assert names(doc) == []


def test_a_person_needs_a_known_name_a_title_or_a_cue():
    doc = annotated("Kenji Watanabe met Colonel Ostrov. The ship was reported by Rigg and "
                    "the Consul in Dairen (Hollis) agreed. Staff Writer\n")
    assert names(doc) == [("person", "Kenji Watanabe"), ("person", "Ostrov"), ("person", "Rigg"),
                          ("place", "Dairen"), ("person", "Hollis")]


def test_whom_a_letter_greets_is_a_person():
    assert names(annotated("Keijo, Korea\n\nMiyoko, My Dearest:\n\nThe winter is long.\n")) == [
        ("place", "Keijo"), ("place", "Korea"), ("person", "Miyoko")]


def test_suffixes_regnal_styles_and_qualified_places():
    doc = annotated("George Atcheson, Jr. wrote that Emperor Meiji and Emperor Hirohito ruled Kita Ezo "
                    "and Yuzhny Sakhalin, not San Jose.\n")
    assert names(doc) == [("person", "George Atcheson, Jr."), ("person", "Emperor Meiji"), ("person", "Hirohito"),
                          ("place", "Kita Ezo"), ("place", "Yuzhny Sakhalin"), ("place", "San Jose")]


def test_a_government_described_is_not_an_organisation():
    doc = annotated("The U. S. Govt told the Chinese Govt that the Repatriates Relief Bureaus would open.\n")
    assert names(doc) == [("place", "U. S."), ("org", "Repatriates Relief Bureaus")]


def test_capitals_change_nothing_and_acronyms_stand_for_their_organisation():
    doc = annotated("The Army Advisory Group reported.\n\n2. repatriation under the army advisory group\n\n"
                    "REPORT OF THE ARMY ADVISORY GROUP IN MANCHURIA\n\nLater the AAG closed.\n")
    assert names(doc) == [("org", "Army Advisory Group"), ("org", "army advisory group"),
                          ("org", "ARMY ADVISORY GROUP"), ("place", "MANCHURIA"), ("org", "AAG")]
    refs = {s.attrs["ref"] for b in doc.blocks for s in b.spans if s.kind == "org"}
    assert refs == {"org-army-advisory-group"}


def test_firms_peoples_oceans_and_units_of_a_known_force():
    doc = annotated("Sejima joined C. Itoh & Co. after General Motors; Manchurians fled to the Pacific, "
                    "and the Red Army 39th Army held out at Koken-miao.\n\nRyūzō Sejima retired.\n")
    assert names(doc) == [("person", "Sejima"), ("org", "C. Itoh & Co."), ("org", "General Motors"),
                          ("place", "Pacific"), ("org", "Red Army"), ("org", "39th Army"), ("place", "Koken-miao"),
                          ("person", "Ryūzō Sejima")]


def test_kinship_honorifics_and_what_a_name_is_called():
    doc = annotated("Grandmother Ine stayed with Mr. Pak. His daughter Sun-ja met a man named Asada "
                    "from a village named Torino.\n")
    assert names(doc) == [("person", "Ine"), ("person", "Pak"), ("person", "Sun-ja"), ("person", "Asada"),
                          ("place", "Torino")]


def test_offices_and_places_by_their_preposition():
    doc = annotated("The Commanding General and the Political Adviser met near Iida and on Woleai, "
                    "then at Camp 14.\n")
    assert names(doc) == [("place", "Iida"), ("place", "Woleai"), ("place", "Camp 14")]


def test_register_acronyms_match_only_in_capitals():
    doc = annotated("TOKYO, Sept. 26 (AP) - Up to a thousand men came. The UP said so.\n")
    assert names(doc) == [("place", "TOKYO"), ("org", "AP"), ("org", "UP")]


def test_register_names_in_other_capitals_and_short_forms_of_a_firm():
    doc = annotated("The Japanese headquarters for the Kwantung army invited them. Ataka & Co. grew; "
                    "Ataka later merged.\n")
    assert names(doc) == [("org", "Kwantung army"), ("org", "Ataka & Co."), ("org", "Ataka")]


def test_defined_acronyms_inverted_names_and_publishers():
    doc = annotated("The Recovery of Allied Prisoners of War and Internees (RAPWI) sent lists; RAPWI later closed.\n\n"
                    "[1] Tamaki, Setsuko. The Long Return.\n\n[2] Dower, John W. Embracing Defeat. "
                    "New York: W. W. Norton, 1999.\n")
    assert names(doc) == [("org", "Recovery of Allied Prisoners of War and Internees"), ("org", "RAPWI"),
                          ("org", "RAPWI"), ("person", "Tamaki, Setsuko"), ("person", "Dower, John W."),
                          ("place", "New York"), ("org", "W. W. Norton")]


def test_places_in_other_languages_buildings_and_persons_who_take_no_article():
    doc = annotated("We sailed from Tandjong Priok to Cap Saint-Jacques and Ban Pong; the wedding was at "
                    "St. Mary's Church; attacks by the Viet Minh went on near Ben Luc.\n")
    assert names(doc) == [("place", "Tandjong Priok"), ("place", "Cap Saint-Jacques"), ("place", "Ban Pong"),
                          ("place", "St. Mary's Church"), ("place", "Ben Luc")]


def test_bodies_of_organisations_collective_possessives_and_numbered_units():
    doc = annotated("The Mongolian Red Cross Society and the International Red Cross met the Japanese Residents' "
                    "Association of Pyongyang with 130 Signal Company.\n")
    assert names(doc) == [("org", "Mongolian Red Cross Society"), ("org", "International Red Cross"),
                          ("org", "Japanese Residents' Association of Pyongyang"),
                          ("org", "130 Signal Company")]


def test_a_tables_row_labels_share_a_type():
    doc = annotated("Port Ships Landed\nHuludao 7 14,896\nTangku 4 7,214\nTsingtao 3 5,530\n")
    assert [k for k, t in names(doc)] == ["place", "place", "place"]


def test_a_comma_ending_a_clause_does_not_make_the_next_name_a_place():
    doc = annotated("On his return from Siberia, Sejima joined the firm. He was born in Chofu, Japan, and later "
                    "lived at Taishet, Bratsk, and Tayshet.\n")
    assert names(doc) == [("place", "Siberia"), ("place", "Chofu"), ("place", "Japan"), ("place", "Taishet"),
                          ("place", "Bratsk"), ("place", "Tayshet")]


def test_a_verb_of_a_person_makes_one_unknown_word_a_person_even_opening_a_sentence():
    doc = annotated("Kuwahori was born in Toyama in 1911. Kuwahori graduated in 1932. Years later Kuwahori "
                    "returned. Tokyo said nothing.\n")
    assert names(doc) == [("person", "Kuwahori"), ("place", "Toyama"), ("person", "Kuwahori"),
                          ("person", "Kuwahori"), ("place", "Tokyo")]


def test_a_scans_quote_between_two_names_parts_them_where_an_apostrophe_would_not():
    doc = annotated("the camp in Tamsagbulag’Choibalsan. They went to Choibalsan and Sean O’Brien stayed "
                    "with the Workers’ Party\n", ocr=True)
    found = names(doc)
    assert found[0] == ("place", "Tamsagbulag")
    assert found[-2:] == [("person", "Sean O’Brien"), ("org", "Workers’ Party")]


def test_a_names_form_in_its_own_script_after_it_is_the_same_entity():
    doc = annotated("Refugees reached Wangyemiao (王爺廟) by train; Kuwahori Tetsuo (桑堀 哲夫) said so. "
                    "The sign read (出口) only.\n")
    assert names(doc) == [("place", "Wangyemiao"), ("place", "王爺廟"), ("person", "Kuwahori Tetsuo"),
                          ("person", "桑堀 哲夫")]
    [place] = [e for e in doc.entities if e.kind == "place"]
    assert "王爺廟" in place.variants
