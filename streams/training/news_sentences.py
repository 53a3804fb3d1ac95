"""German news sentences written for this project, annotated by construction, added to training.

GermEval 2014 has 5,100 training sentences here; many common German first names, surnames,
places and organisations occur in none of them. These sentence patterns (written for newsenrich,
in the style of German news) are filled with names from the lists below, so that the model sees
each list name in a few contexts. The names of persons and places annotated in the German
articles of ``eval/dev_set.jsonl`` are left out on purpose (tested), so that the dev set still
measures what the model learned, not what it was shown. Deterministic for a given seed.

Slots: ``{PER}`` full name, ``{SUR}`` surname, ``{LOC}`` place, ``{ORG}`` organisation,
``{CO}-Chef`` a one-word organisation in a compound (not an entity).
Tokens are separated by spaces in the patterns, as in the GermEval files.
"""

from __future__ import annotations

import random


def _words(text: str) -> list[str]:
    return text.split()


PATTERNS = [
    "{PER} , Chef von {ORG} , sagte am Montag in {LOC} , die Nachfrage bleibe hoch .",
    "Nach Angaben von {ORG} soll das neue Werk in {LOC} bis 2027 fertig sein .",
    "Der Vorstandsvorsitzende von {ORG} , {PER} , kündigte weitere Investitionen an .",
    "In {LOC} demonstrierten am Wochenende mehrere Tausend Menschen gegen die Pläne .",
    "{PER} forderte mehr Geld für die Schulen in {LOC} .",
    "Der Konzern {ORG} mit Sitz in {LOC} beschäftigt rund 12.000 Menschen .",
    "Die Ministerin {PER} reist kommende Woche nach {LOC} .",
    "Wie {ORG} am Dienstag mitteilte , übernimmt {PER} zum 1. Januar die Leitung .",
    "{PER} wurde 1962 in {LOC} geboren und studierte später in {LOC} .",
    "Laut einer Studie von {ORG} steigen die Mieten in {LOC} weiter .",
    "{PER} und {PER} trafen sich am Rande des Gipfels in {LOC} .",
    "Die Aktie von {ORG} legte am Dienstag um drei Prozent zu .",
    '" Wir sind sehr zufrieden " , sagte {PER} am Abend .',
    "{ORG} eröffnet in {LOC} ein Rechenzentrum mit 200 Arbeitsplätzen .",
    "Die Polizei in {LOC} sucht nach Zeugen des Unfalls .",
    "Im Jahr 2009 zog {PER} nach {LOC} , wo er für {ORG} arbeitete .",
    "Die Gemeinde liegt etwa 20 Kilometer nördlich von {LOC} .",
    "{SUR} sagte , man werde die Entscheidung prüfen .",
    "Zuvor hatte {PER} mehrere Jahre bei {ORG} gearbeitet .",
    "Das Unternehmen {ORG} will in {LOC} rund 300 Stellen abbauen .",
    "Bürgermeister {PER} begrüßte die Entscheidung des Stadtrats von {LOC} .",
    "Der Zug von {LOC} nach {LOC} fiel am Morgen aus .",
    "Auch {ORG} und {ORG} haben Interesse an dem Geschäft angemeldet .",
    "Die Firma gehört seit 2015 zu {ORG} .",
    "Nach Ansicht von {PER} ist die Lage in {LOC} weiterhin schwierig .",
    "{PER} , Sprecherin von {ORG} , wollte sich dazu nicht äußern .",
    "Die Konferenz findet im Juni in {LOC} statt .",
    "Er lebt mit seiner Familie in {LOC} .",
    "{ORG} hat im vergangenen Jahr mehr als eine Milliarde Euro umgesetzt .",
    "Der Vertrag zwischen {ORG} und {ORG} läuft bis 2030 .",
    "Trainer {PER} war mit dem Spiel in {LOC} nicht zufrieden .",
    "Seit März leitet {PER} die Forschungsabteilung in {LOC} .",
    "Aus {LOC} kamen zuletzt schwächere Zahlen .",
    "{SUR} kündigte an , im Herbst erneut zu kandidieren .",
    "Das Gericht in {LOC} wies die Klage von {ORG} ab .",
    "Die Grünen in {LOC} fordern einen Ausbau des Nahverkehrs .",
    "Wegen des Streiks bei {ORG} fielen in {LOC} zahlreiche Verbindungen aus .",
    "Nach dem Abitur in {LOC} ging {PER} zum Studium nach {LOC} .",
    "{PER} ( 54 ) wird neuer Finanzvorstand bei {ORG} .",
    "Zwischen {LOC} und {LOC} soll eine neue Stromleitung entstehen .",
    "{CO}-Chef {PER} sagte am Dienstag , die Nachfrage sei weiterhin enorm .",
    "Das kündigte {CO}-Chefin {PER} auf einer Konferenz in {LOC} an .",
    "Die Nachfrage bleibe hoch , sagte Finanzchefin {PER} am Mittwoch .",
    "„ Wir wachsen schneller als der Markt “ , sagte Vorstandschef {PER} .",
    "{PER} , Mitgründer von {ORG} , will das Geld in neue Rechenzentren stecken .",
    "Technikchef {PER} kündigte an , die Kapazität bis 2026 zu verdoppeln .",
    "Beim Besuch von {CO}-Chef {PER} in {LOC} wurde der Vertrag unterzeichnet .",
    "Der Milliardär {PER} hatte das Unternehmen 2015 gegründet .",
    "Laut {CO}-Managerin {PER} sollen die ersten Server im Herbst laufen .",
    "Die Entwicklerin {PER} arbeitet seit drei Jahren für {ORG} in {LOC} .",
]

FIRST = _words(
    "Anna Andreas Barbara Bernd Birgit Christoph Claudia Daniel Doris Dirk Eva Frank Franziska "
    "Georg Gabriele Hans Heike Ingrid Jan Jana Jörg Julia Jürgen Karin Katharina Klaus Kerstin "
    "Lars Laura Lukas Manuela Markus Martina Matthias Monika Nadine Niklas Olaf Petra Peter Ralf "
    "Renate Sabine Sebastian Silke Stefan Susanne Thorsten Ulrike Uwe Ursula Volker Werner Yvonne "
    "Ahmet Ayşe Mehmet Fatma Piotr Katarzyna Marco Giulia Pierre Sophie Carlos Lucía John Emily "
    "Wei Mei Hiroshi Yuki Olga Dmitri Ingrid Lars Mette Sanna Joanna Tomasz Elif Emre Hanna Ole"
)
SURNAMES = _words(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter "
    "Bauer Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt "
    "Werner Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber "
    "Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Vogel Friedrich Keller Günther Frank "
    "Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter "
    "Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt "
    "Haas Schreiber Graf Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt "
    "Demir Kaya Nowak Kowalski Rossi Bianchi Dubois Martin García Smith Johnson Tanaka Sato "
    "Wang Zhang Petrov Ivanova Nielsen Andersson Virtanen Novak Popescu Papadopoulos"
)
PLACES = _words(
    "Berlin Hamburg Köln Stuttgart Düsseldorf Dortmund Essen Leipzig Bremen Dresden Hannover "
    "Nürnberg Duisburg Bochum Wuppertal Bielefeld Bonn Münster Mannheim Augsburg Wiesbaden "
    "Mönchengladbach Gelsenkirchen Aachen Braunschweig Kiel Chemnitz Halle Erfurt Rostock Mainz "
    "Kassel Potsdam Saarbrücken Oldenburg Osnabrück Regensburg Ingolstadt Würzburg Ulm Göttingen "
    "Wolfsburg Darmstadt Trier Jena Cottbus Schwerin Konstanz Passau Bamberg Flensburg Lübeck "
    "Wien Graz Linz Salzburg Innsbruck Zürich Basel Bern Genf Luxemburg Brüssel Amsterdam "
    "Rotterdam Kopenhagen Stockholm Oslo Helsinki Warschau Prag Budapest Rom Mailand Madrid "
    "Barcelona Lissabon London Dublin Athen Istanbul Moskau Kiew Peking Shanghai Tokio Seoul "
    "Delhi Mumbai Singapur Sydney Kairo Nairobi Toronto Chicago Boston Washington Kalifornien "
    "Texas Florida Brasilien Mexiko Kanada Japan Indien Russland Italien Spanien Österreich "
    "Schweiz Polen Tschechien Ungarn Griechenland Türkei Schweden Dänemark Niederlande Belgien "
    "Großbritannien Irland Bayern Sachsen Hessen Niedersachsen Thüringen Brandenburg "
    "Baden-Württemberg Rheinland-Pfalz Schleswig-Holstein Mecklenburg-Vorpommern Saarland "
    "Ruhrgebiet Afrika Asien "
    "Rhein Elbe Donau Main Alpen Harz Ostsee Nordsee Mallorca Sylt"
)
ORGS = [
    "Siemens",
    "Bosch",
    "BASF",
    "Bayer",
    "Daimler",
    "Volkswagen",
    "BMW",
    "Porsche",
    "Audi",
    "Lufthansa",
    "Deutsche Bahn",
    "Deutsche Post",
    "Commerzbank",
    "Allianz",
    "Munich Re",
    "Henkel",
    "Adidas",
    "Puma",
    "Continental",
    "Thyssenkrupp",
    "Eon",
    "RWE",
    "Vonovia",
    "Zalando",
    "Bertelsmann",
    "Axel Springer",
    "ProSiebenSat.1",
    "Aldi",
    "Lidl",
    "Rewe",
    "Edeka",
    "Fraport",
    "Airbus",
    "Heidelberg Materials",
    "Merck",
    "Fresenius",
    "Beiersdorf",
    "Bundesbank",
    "Europäische Zentralbank",
    "Bundestag",
    "Bundesrat",
    "Europäische Kommission",
    "Vereinte Nationen",
    "Nato",
    "Weltbank",
    "Internationaler Währungsfonds",
    "ADAC",
    "Stiftung Warentest",
    "Verdi",
    "IG Metall",
    "DGB",
    "Bundeskartellamt",
    "Bundesnetzagentur",
    "SPD",
    "CDU",
    "CSU",
    "FDP",
    "Linke",
    "Caritas",
    "Rotes Kreuz",
    "Greenpeace",
    "Universität Mannheim",
    "Technische Universität Dresden",
    "Fraunhofer-Gesellschaft",
    "Max-Planck-Gesellschaft",
    "Helmholtz-Zentrum",
    "Deutsche Telekom",
    "Vodafone",
    "Telefónica",
    "Nokia",
    "Ericsson",
    "Philips",
    "Unilever",
    "Nestlé",
    "Novartis",
    "Roche",
    "UBS",
    "Shell",
    "Renault",
    "Fiat",
    "Toyota",
    "Samsung",
    "Sony",
    "Borussia Dortmund",
    "Bayern München",
    "Schalke 04",
    "Werder Bremen",
    "Hertha BSC",
    "Eintracht Frankfurt",
    "Süddeutsche Zeitung",
    "Frankfurter Allgemeine Zeitung",
    "Spiegel",
    "ZDF",
    "ARD",
    "dpa",
    "Reuters",
]
# Executives of international companies appear in German tech news with a role noun
# ("Finanzchefin", "Siemens-Chef"); these first names and surnames are not German.
INTL_FIRST = _words(
    "Michael Sarah David Jennifer Robert Lisa Mark Susan Kevin Karen Brian Rachel Andrew Emma "
    "Daniel Olivia Steven Megan Rajesh Priya Anil Sunita Vikram Deepa Arjun Lakshmi Satya Ravi "
    "Wei Ming Xiao Jun Hui Lin Hiroshi Kenji Akiko Min-jun Ji-woo Seo-yeon Mohammed Fatima Omar "
    "Layla Yusuf Amira Jean Marie Luc Camille Antoine Chloé José Ana Luis Carmen João Mariana "
    "Sven Astrid Mikko Aino Giorgos Eleni Aditya Nikhil Meera Chloe Ryan Ashley Tyler Brandon"
)
INTL_SURNAMES = _words(
    "Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson White Harris Clark "
    "Lewis Walker Hall Young Wright Scott Green Baker Adams Nelson Mitchell Roberts Turner "
    "Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan "
    "Cooper Reed Bailey Bell Kelly Howard Ward Cox Sharma Patel Gupta Singh Kumar Iyer Reddy Nair "
    "Mehta Chen Liu Yang Zhao Wu Zhou Lin Nakamura Suzuki Watanabe Kim Park Lee Choi Haddad Khan "
    "Rahman Mansour Lefebvre Moreau Laurent Fernández López Silva Santos Costa Lindqvist Korhonen"
)
LABEL_OF = {"PER": "PER", "SUR": "PER", "LOC": "LOC", "ORG": "ORG"}


def _fill(slot: str, rng: random.Random) -> list[str]:
    if slot == "PER" and rng.random() < 0.5:
        return [rng.choice(INTL_FIRST), rng.choice(INTL_SURNAMES)]
    if slot == "PER":
        return [rng.choice(FIRST), rng.choice(SURNAMES)]
    if slot == "SUR":
        return [rng.choice(SURNAMES)]
    if slot == "LOC":
        return [rng.choice(PLACES)]
    return rng.choice(ORGS).split()


def sentences(count: int, seed: int = 14) -> list[tuple[list[str], list[str]]]:
    """``count`` annotated sentences as (tokens, BIO tags): patterns in turn, slots filled at
    random (seeded)."""
    rng = random.Random(seed)
    out = []
    for number in range(count):
        words: list[str] = []
        tags: list[str] = []
        for token in PATTERNS[number % len(PATTERNS)].split():
            slot = token[1:-1] if token.startswith("{") and token.endswith("}") else ""
            if token.startswith("{CO}"):  # "Siemens-Chef": a word with a name in it is no entity
                words.append(rng.choice([o for o in ORGS if " " not in o]) + token[4:])
                tags.append("O")
            elif slot in LABEL_OF:
                filled = _fill(slot, rng)
                words += filled
                tags += [f"B-{LABEL_OF[slot]}"] + [f"I-{LABEL_OF[slot]}"] * (len(filled) - 1)
            else:
                words.append(token)
                tags.append("O")
        out.append((words, tags))
    return out
