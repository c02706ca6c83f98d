#!/usr/bin/env python3
"""Make the sample archive's sidecars bilingual: each sign's title, alt, caption, place
and (where Spanish names it differently) city become `{en: …, es: …}`, the English
exactly as make_sample.py wrote it. Run after make_sample.py, from the repository root:
  python3 scripts/make_sample_es.py
Idempotent: a key already written per language is left as it is. Standard library only.
"""
import pathlib
import re

ES = {
    "berlin-kreuzberg-cafe": dict(
        alt="Una placa alargada de esmalte color crema en una puerta de madera con DAMEN y HERREN en mayúsculas negras con serifa, separadas por una línea fina; el esmalte está desconchado en los bordes",
        caption="Ni un solo pictograma: solo dos palabras y una línea entre ellas. Los desconchones del\nesmalte hacen pensar que esta placa ha visto abrirse y cerrarse *muchísimas* puertas.",
        place="Un café en Kreuzberg", city="Berlín"),
    "mississauga-square-one": dict(
        title="Baño para todos, Square One",
        alt="Una placa roja con tres pictogramas blancos, una figura con vestido, una figura con pantalones y una persona en silla de ruedas, sobre la palabra WASHROOM",
        caption="Un solo baño para *todo el mundo*: la misma puerta para mujeres, hombres y usuarios de\nsilla de ruedas. Visto en el centro comercial Square One.",
        place="Centro comercial Square One"),
    "edinburgh-grassmarket-pub": dict(
        alt="Una placa de latón cepillado con GENTLEMEN grabado en mayúsculas oscuras con serifa, atornillada a una puerta verde oscuro con paneles",
        caption="Latón grabado sobre una puerta verde. Esta cámara no tiene GPS, así que la ubicación se añadió a mano.",
        place="Un pub en el Grassmarket", city="Edimburgo"),
    "paris-gare-du-nord-brasserie": dict(
        title="Toilettes, Gare du Nord",
        alt="Una placa de esmalte azul oscuro con un fino borde blanco, la palabra TOILETTES en mayúsculas blancas con serifa y una flecha blanca hacia la derecha, sobre azulejos blancos que imitan ladrillo",
        caption="Esmalte azul y blanco, el clásico estilo de París. La foto se tomó justo después de\nmedianoche, así que figura en la tarde anterior.",
        place="Una brasserie cerca de la Gare du Nord", city="París"),
    "sao-paulo-vila-madalena-mural": dict(
        alt="Un cartel de madera con una cara pintada de amarillo en una pared cubierta por un mural de colores: una figura rosa con vestido, una figura verde con pantalones y la palabra BANHEIRO pintada a mano en letras negras",
        caption="El cartel forma parte del mural que lo rodea. *Banheiro* significa baño en portugués.",
        place="Un bar en Vila Madalena"),
    "tokyo-haneda-terminal-3": dict(
        title="Haneda, Terminal 3",
        alt="Un largo cartel de aeropuerto gris marengo: la palabra Toilets con una flecha amarilla hacia la izquierda y luego cuatro pictogramas cuadrados, un hombre azul, una mujer roja, una persona en silla de ruedas y un adulto cambiando a un bebé",
        caption="Los carteles de un aeropuerto tienen que servir a quien no lee ninguna de las escrituras\nlocales, así que se apoyan en\n[pictogramas](https://es.wikipedia.org/wiki/Pictograma). Cuatro bastan, y todo el mundo\nsabe adónde ir.",
        place="Terminal 3, aeropuerto de Haneda", city="Tokio"),
    "zurich-hauptbahnhof": dict(
        alt="Una pequeña placa negra con las letras WC en blanco y una fina flecha blanca hacia la derecha, en una pared de hormigón visto con agujeros de encofrado",
        caption="Dos letras y una flecha sobre hormigón visto. No hace falta nada más.",
        place="Paso subterráneo, estación central de Zúrich", city="Zúrich"),
    "san-francisco-mission-coffee": dict(
        alt="Una placa blanca en una puerta verde azulado: una figura negra mitad con vestido y mitad con pantalones junto al símbolo de la silla de ruedas, las palabras ALL GENDER RESTROOM y una línea en braille",
        caption="La figura mitad y mitad es uno de los diseños más habituales de los baños\n[para todos los géneros](https://es.wikipedia.org/wiki/Ba%C3%B1o_unisex).",
        place="Una cafetería en el barrio de la Misión"),
    "sydney-circular-quay": dict(
        alt="Un cartel azul alto sobre azulejos grises: el pictograma blanco de un adulto cambiando a un bebé en un cambiador, sobre las palabras PARENTS ROOM",
        caption="Una *sala para padres y madres* en lugar de una sala para madres: el pictograma muestra a un adulto, no a una mujer.",
        place="Muelle de los ferris, Circular Quay", city="Sídney"),
    "austin-south-congress-taco-bar": dict(
        title="Lo que sea. Tú lávate las manos",
        alt="Un cartel de madera oscura sobre una pared de ladrillo blanco con WHATEVER. rotulado a mano sobre tres figuras blancas como la tiza, una mujer, un hombre y un robot, y JUST WASH YOUR HANDS en amarillo",
        caption="El robot también es bienvenido. Una broma con fondo: la única norma que importa es\n**lávate las manos**.",
        place="Un bar de tacos en South Congress Avenue"),
    "nairobi-jkia-terminal-1a": dict(
        alt="Una placa de acero cepillado con el pictograma granate de una figura con vestido sobre las palabras LADIES y WANAWAKE",
        caption="Inglés y suajili en la misma placa: *wanawake* significa mujeres.",
        place="Terminal 1A, aeropuerto internacional Jomo Kenyatta"),
    "berlin-tiergarten-gallery": dict(
        alt="Una placa blanco roto con dos figuras hechas de formas básicas: un círculo amarillo sobre un triángulo rojo y un círculo amarillo sobre un cuadrado azul, separadas por una barra negra",
        caption="Círculo, triángulo, cuadrado: un cartel con el espíritu de la\n[Bauhaus](https://es.wikipedia.org/wiki/Bauhaus).",
        place="Una galería de diseño en Tiergarten", city="Berlín"),
    "london-south-kensington-museum": dict(
        alt="Una placa blanca con el símbolo blanco de la silla de ruedas sobre un cuadrado azul, las palabras Accessible toilet y una línea de puntos en relieve en braille",
        caption="El [Símbolo Internacional de\nAccesibilidad](https://es.wikipedia.org/wiki/S%C3%ADmbolo_internacional_de_accesibilidad)\ncon las palabras escritas debajo en braille.",
        place="La cafetería de un museo en South Kensington", city="Londres"),
    "reykjavik-harbour-concert-hall": dict(
        alt="Una placa gris oscuro en una pared oscura con dos finas siluetas blancas, una con vestido y otra con pantalones, separadas por una línea, sobre la palabra Snyrting",
        caption="Siluetas y una sola palabra, *snyrting*, que en islandés significa baño.",
        place="Sala de conciertos del puerto"),
    "munich-airport-terminal-2": dict(
        alt="Un cartel de aeropuerto azul marino con pictogramas blancos de un hombre, una mujer, una persona en silla de ruedas y un cambiador de bebés, y una flecha amarilla hacia arriba",
        caption="Pie de foto pendiente.",
        place="Terminal 2, aeropuerto de Múnich", city="Múnich"),
    "tokyo-shinjuku-izakaya": dict(
        title="Con prisa",
        alt="Un cartel de papel en un marco de madera oscura: una figura negra con las piernas cruzadas y las manos juntas abajo, con líneas de movimiento y gotas de sudor alrededor, sobre WC y una flecha roja hacia la derecha",
        caption="No hacen falta palabras para decir *prisa*. Las piernas cruzadas lo dicen en todos los idiomas.",
        place="Una izakaya en Shinjuku", city="Tokio"),
}


def quoted(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bilingual(text, es):
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(title|alt|place|city): (.+)$", line)
        if m and m.group(1) in es:
            key, value = m.groups()
            out += [f"{key}:", f"  en: {value}", f"  es: {quoted(es[key])}"]
            i += 1
            continue
        if line == "caption: |" and "caption" in es:
            block = []
            i += 1
            while i < len(lines) and lines[i].startswith("  "):
                block.append("  " + lines[i])
                i += 1
            out += ["caption:", "  en: |"] + block + ["  es: |"]
            out += ["    " + l for l in es["caption"].split("\n")]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


for path in sorted(pathlib.Path("photos").rglob("*.yaml")):
    es = ES.get(path.stem)
    if es is None:
        continue
    text = path.read_text(encoding="utf-8")
    new = bilingual(text, es)
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(path)
