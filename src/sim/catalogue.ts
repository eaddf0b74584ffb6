/** Product templates for the flood: typical e-commerce goods with real HS 2022 subheadings and prices. */

/** Unit in which an item is counted. */
export type TemplateUnit = 'pcs' | 'pair' | 'set';

/** One kind of product a marketplace sells, with how it is described, classified and priced. */
export interface ProductTemplate {
  key: string;
  /** HS 2022 subheading (6 digits). */
  hs: string;
  /** Description patterns: {c} colour, {m} material, {s} clothing size, {z} shoe size, {v} variant. */
  patterns: readonly string[];
  materials?: readonly string[];
  variants?: readonly string[];
  unit: TemplateUnit;
  /** Median unit price in EUR and log-space standard deviation of the log-normal price. */
  medianEur: number;
  sigma: number;
  grams: readonly [number, number];
  /** Relative share of marketplace orders. */
  popularity: number;
  /** Duty rate is high enough that declaring a cheaper chapter pays (apparel, footwear, bags). */
  highDuty?: boolean;
  /** Marketplace own brands (not protected luxury brands). */
  brands?: readonly string[];
  /** Country of manufacture when it is not the country of dispatch. */
  madeIn?: string;
}

/** Colours used in descriptions. */
export const COLOURS: readonly string[] = (
  'black|white|navy blue|grey|beige|khaki|burgundy|olive green|pink|sky blue|red|brown|lavender|' +
  'mustard yellow|charcoal|cream'
).split('|');

const MATERIALS: Readonly<Record<string, string>> = {
  '@apparel': 'cotton|polyester|cotton blend|viscose|linen look|fleece-lined',
  '@leather': 'PU leather|faux leather|genuine leather|vegan leather|canvas',
};

const UNITS: readonly TemplateUnit[] = ['pcs', 'pair', 'set'];

function list(field: string): readonly string[] | undefined {
  const value = MATERIALS[field] ?? field;
  return value === '' ? undefined : value.split('|');
}

/** Parses one catalogue row: key; hs; unit; median EUR; sigma; grams min-max; popularity; H; materials; variants; brands; patterns. */
export function parseTemplate(row: string): ProductTemplate {
  const f = row.split(' ; ').map((s) => s.trim());
  if (f.length !== 12) throw new Error(`catalogue row needs 12 fields: ${row}`);
  const [
    key = '',
    hs = '',
    unit = '',
    median,
    sigma,
    grams = '',
    popularity,
    flags,
    materials = '',
    variants = '',
    brands = '',
    patterns = '',
  ] = f;
  const [gMin, gMax] = grams.split('-').map(Number);
  const u = UNITS.find((x) => x === unit);
  if (!/^\d{6}$/.test(hs) || u === undefined || gMin === undefined || gMax === undefined) {
    throw new Error(`bad catalogue row: ${row}`);
  }
  const template: ProductTemplate = {
    key,
    hs,
    unit: u,
    medianEur: Number(median),
    sigma: Number(sigma),
    grams: [gMin, gMax],
    popularity: Number(popularity),
    patterns: patterns.split('|'),
  };
  if (flags === 'H') template.highDuty = true;
  const m = list(materials);
  const v = list(variants);
  const b = list(brands);
  if (m !== undefined) template.materials = m;
  if (v !== undefined) template.variants = v;
  if (b !== undefined) template.brands = b;
  return template;
}

// key ; hs ; unit ; median EUR ; sigma ; grams ; popularity ; H = high duty ; materials ; variants ; brands ; patterns
const ROWS = `
tshirt ; 610910 ; pcs ; 7 ; 0.45 ; 120-220 ; 60 ; H ; @apparel ;  ;  ; Women's {c} {m} crew neck T-shirt, size {s}|Men's oversized {c} graphic tee, {m}, {s}|Unisex {c} basic short sleeve T-shirt {s}|Kids' {c} cartoon print T-shirt, {m}
hoodie ; 611030 ; pcs ; 16 ; 0.45 ; 350-650 ; 35 ; H ; polyester|fleece|cotton blend ;  ;  ; Men's {c} zip-up hoodie with kangaroo pocket, {m}, size {s}|Women's cropped {c} {m} sweatshirt {s}|Oversized {c} pullover hoodie, drop shoulder, {s}
dress ; 610443 ; pcs ; 14 ; 0.5 ; 180-400 ; 40 ; H ;  ;  ;  ; Women's {c} floral midi dress, short sleeve, size {s}|Summer {c} wrap dress with belt, knitted, {s}|Women's {c} bodycon party dress {s}
leggings ; 611595 ; pcs ; 9 ; 0.4 ; 150-260 ; 25 ; H ;  ;  ;  ; Women's high waist {c} yoga leggings, size {s}|Seamless {c} gym leggings with pockets {s}
jeans ; 620462 ; pcs ; 18 ; 0.4 ; 450-700 ; 25 ; H ;  ;  ;  ; Women's high rise {c} denim jeans, straight leg, size {s}|Wide leg {c} cotton denim trousers {s}
mens-trousers ; 620342 ; pcs ; 17 ; 0.4 ; 400-650 ; 18 ; H ;  ;  ;  ; Men's {c} cotton cargo trousers, size {s}|Men's slim fit {c} chino pants {s}
jacket ; 620140 ; pcs ; 32 ; 0.5 ; 600-1200 ; 14 ; H ;  ;  ;  ; Men's {c} padded winter jacket with hood, polyester, size {s}|Men's {c} lightweight windbreaker {s}
womens-coat ; 620240 ; pcs ; 35 ; 0.5 ; 700-1300 ; 12 ; H ;  ;  ;  ; Women's {c} quilted puffer coat, polyester filling, size {s}|Women's long {c} trench coat with belt {s}
blouse ; 620640 ; pcs ; 13 ; 0.45 ; 120-250 ; 18 ; H ;  ;  ;  ; Women's {c} chiffon blouse, long sleeve, size {s}|Women's {c} satin button-up shirt {s}
sweater ; 611030 ; pcs ; 19 ; 0.45 ; 300-600 ; 16 ; H ;  ;  ;  ; Women's chunky knit {c} sweater, acrylic, size {s}|Men's {c} V-neck knitted jumper {s}
socks ; 611595 ; set ; 6 ; 0.4 ; 100-250 ; 20 ; H ;  ;  ;  ; Pack of 5 pairs {c} cotton crew socks, EU {z}|10 pairs ankle socks, mixed colours, EU {z}
underwear ; 610822 ; set ; 9 ; 0.4 ; 80-200 ; 18 ; H ;  ;  ;  ; Women's seamless briefs, 5 pack, {c}, size {s}|Women's lace bralette set {c} {s}
swimwear ; 611241 ; pcs ; 12 ; 0.4 ; 100-220 ; 12 ; H ;  ;  ;  ; Women's {c} high waist bikini set, size {s}|Women's {c} one-piece swimsuit, tummy control {s}
baby-clothes ; 611120 ; set ; 10 ; 0.4 ; 150-300 ; 12 ; H ;  ;  ;  ; Baby romper 3-pack, organic cotton, {c}, 6-9 months|Newborn bodysuit set, cotton, {c}, 0-3 months
scarf ; 611710 ; pcs ; 8 ; 0.4 ; 80-250 ; 10 ; H ;  ;  ;  ; Knitted {c} winter scarf, acrylic|Oversized {c} tartan blanket scarf
cap ; 650500 ; pcs ; 7 ; 0.4 ; 60-150 ; 12 ; H ;  ;  ;  ; {c} cotton baseball cap, adjustable strap|Knitted {c} beanie hat with pompom
sneakers ; 640411 ; pair ; 24 ; 0.45 ; 500-900 ; 25 ; H ;  ;  ;  ; Men's {c} mesh running shoes, EU size {z}|Women's lightweight {c} knit sneakers, EU {z}|Unisex {c} canvas trainers, rubber sole, EU {z}
sandals ; 640299 ; pair ; 12 ; 0.45 ; 250-500 ; 14 ; H ;  ;  ;  ; Women's {c} platform sandals, EU {z}|EVA {c} cloud slides, non-slip, EU {z}
slippers ; 640520 ; pair ; 9 ; 0.4 ; 200-400 ; 10 ; H ;  ;  ;  ; Plush {c} house slippers, memory foam, EU {z}|Fluffy {c} indoor slippers, EU {z}
boots ; 640391 ; pair ; 38 ; 0.45 ; 900-1500 ; 10 ; H ;  ;  ;  ; Women's {c} leather ankle boots, EU {z}|Men's {c} leather chelsea boots, EU {z}
handbag ; 420222 ; pcs ; 16 ; 0.5 ; 300-800 ; 18 ; H ; @leather ;  ;  ; Women's {c} {m} crossbody bag|{c} quilted chain shoulder bag, {m}|Large {c} {m} tote bag with zip
backpack ; 420292 ; pcs ; 19 ; 0.45 ; 500-1000 ; 14 ; H ;  ;  ;  ; {c} 15.6 inch laptop backpack with USB charging port|Waterproof {c} travel backpack 35L, nylon
wallet ; 420231 ; pcs ; 8 ; 0.45 ; 60-150 ; 12 ;  ;  ;  ;  ; Men's slim RFID blocking wallet, {c} leather|Women's {c} leather card holder with coin pocket
phone-case ; 392690 ; pcs ; 4 ; 0.5 ; 25-70 ; 45 ;  ;  ; iPhone 15|iPhone 14 Pro|Galaxy S24|Pixel 8|Redmi Note 13 ;  ; Shockproof {c} silicone case for {v}|Clear magnetic case compatible with {v}|{c} leather flip wallet case for {v}
screen-protector ; 392190 ; set ; 4 ; 0.45 ; 20-60 ; 20 ;  ;  ; iPhone 15|Galaxy S23|Pixel 7a|iPad 10th gen ;  ; 3-pack tempered glass screen protector for {v}|Privacy screen protector film for {v}
usb-cable ; 854442 ; pcs ; 4 ; 0.5 ; 30-90 ; 35 ;  ;  ; 1m|2m|3m ;  ; USB-C to USB-C fast charging cable 60W, braided, {v}|Lightning to USB cable {v}, {c}|3-in-1 multi charging cable {v}
charger ; 850440 ; pcs ; 11 ; 0.45 ; 60-180 ; 22 ;  ;  ; 20W|33W|65W GaN ; UGREEN|Baseus|Anker ; {v} USB-C wall charger, EU plug|{v} dual port fast charger with PD
earbuds ; 851830 ; pcs ; 14 ; 0.6 ; 50-120 ; 28 ;  ;  ;  ; QCY|Soundcore|Edifier ; True wireless Bluetooth 5.3 earbuds, {c}, with charging case|Wireless sports headphones, noise cancelling, {c}|Over-ear Bluetooth headphones, foldable, {c}
speaker ; 851822 ; pcs ; 22 ; 0.5 ; 300-800 ; 8 ;  ;  ;  ; Tronsmart|W-King ; Portable Bluetooth speaker 20W, waterproof IPX7, {c}|Mini wireless speaker with RGB lights, {c}
smartwatch ; 851762 ; pcs ; 28 ; 0.6 ; 60-150 ; 14 ;  ;  ;  ; Amazfit|Xiaomi|Haylou ; Smart watch 1.8 inch AMOLED, heart rate monitor, {c}|Fitness tracker band with SpO2 and sleep monitor, {c}
phone-holder ; 830249 ; pcs ; 7 ; 0.45 ; 80-250 ; 12 ;  ;  ;  ;  ; Magnetic car phone holder, dashboard mount|Bicycle phone mount, aluminium alloy, {c}
smartphone ; 851713 ; pcs ; 190 ; 0.45 ; 180-260 ; 11 ;  ;  ; 8GB+256GB|12GB+256GB|6GB+128GB ; Xiaomi|Realme|POCO|OnePlus ; Smartphone 6.67 inch AMOLED {v}, global version, {c}|5G smartphone {v}, dual SIM, {c}
tablet ; 847130 ; pcs ; 140 ; 0.45 ; 450-700 ; 7 ;  ;  ;  ; Xiaomi|Lenovo|Teclast ; 10.1 inch Android tablet 8GB RAM 128GB, WiFi, {c}|11 inch tablet with keyboard case, 256GB
laptop ; 847130 ; pcs ; 520 ; 0.35 ; 1400-2200 ; 3 ;  ;  ;  ; Lenovo|Huawei|Chuwi ; 14 inch laptop Intel Core i5 16GB RAM 512GB SSD|15.6 inch notebook Ryzen 7 16GB 1TB SSD, {c}
drone ; 880622 ; pcs ; 420 ; 0.4 ; 300-900 ; 2.5 ;  ;  ;  ; DJI|Potensic ; Camera drone 4K with 3-axis gimbal, GPS, 2 batteries|Foldable mini drone 4K, 249 g class, fly more combo
robot-vacuum ; 850811 ; pcs ; 260 ; 0.35 ; 3000-4500 ; 3 ;  ;  ;  ; Roborock|Dreame ; Robot vacuum cleaner with mop, LiDAR navigation, {c}
action-camera ; 852589 ; pcs ; 75 ; 0.6 ; 120-300 ; 5 ;  ;  ;  ; Akaso|Insta360 ; 4K action camera, waterproof 40 m, with accessories kit|WiFi security camera 2K, pan/tilt, indoor
keyboard ; 847160 ; pcs ; 24 ; 0.55 ; 400-1100 ; 8 ;  ;  ; red switches|brown switches|blue switches ;  ; Mechanical gaming keyboard RGB, 75% layout, {v}|Wireless mouse 2.4G, silent click, {c}
storage ; 852351 ; pcs ; 12 ; 0.6 ; 10-60 ; 10 ;  ;  ; 64GB|128GB|256GB|512GB ;  ; microSDXC memory card {v}, A2 U3|USB 3.2 flash drive {v}, metal
led-strip ; 940542 ; pcs ; 12 ; 0.5 ; 150-450 ; 14 ;  ;  ; 5m|10m|20m ;  ; RGB LED strip lights {v} with remote and app control|LED fairy lights {v}, warm white, USB|LED desk lamp with wireless charger, {c}
flashlight ; 851310 ; pcs ; 9 ; 0.5 ; 100-300 ; 6 ;  ;  ;  ;  ; Rechargeable LED flashlight, zoomable, aluminium|LED head torch, USB rechargeable
hair-tool ; 851632 ; pcs ; 18 ; 0.55 ; 300-700 ; 10 ;  ;  ;  ;  ; Ceramic hair straightener, adjustable temperature, EU plug|Hair dryer brush 3-in-1, ionic, {c}|Automatic hair curler, ceramic barrel
kitchen-appliance ; 850940 ; pcs ; 22 ; 0.5 ; 500-1800 ; 6 ;  ;  ;  ;  ; Portable blender 380 ml, USB rechargeable, {c}|Electric milk frother, handheld, stainless steel
massager ; 901910 ; pcs ; 26 ; 0.5 ; 400-1200 ; 6 ;  ;  ;  ;  ; Massage gun deep tissue, 6 heads, {c}|Neck and shoulder shiatsu massager with heat
toy-figure ; 950300 ; pcs ; 9 ; 0.6 ; 80-400 ; 28 ;  ;  ;  ;  ; Anime action figure 18 cm, PVC, boxed|Plush {c} teddy bear 30 cm|Building blocks set 1200 pieces, compatible bricks|Remote control car 1:16, 2.4 GHz, {c}|Magnetic tiles construction set 60 pcs
board-game ; 950490 ; pcs ; 12 ; 0.5 ; 300-900 ; 6 ;  ;  ;  ;  ; Magnetic travel chess set, folding board|Party card game for adults, 500 cards
puzzle ; 950300 ; pcs ; 10 ; 0.4 ; 400-900 ; 6 ;  ;  ;  ;  ; Jigsaw puzzle 1000 pieces, landscape|Wooden 3D puzzle model kit, mechanical
lipstick ; 330410 ; pcs ; 5 ; 0.5 ; 15-60 ; 14 ;  ;  ; nude|cherry red|rose|berry ;  ; Matte liquid lipstick, long lasting, shade {v}|Lip gloss set 6 colours, {v} tones
eye-makeup ; 330420 ; pcs ; 6 ; 0.5 ; 20-120 ; 12 ;  ;  ;  ;  ; Eyeshadow palette 35 colours, shimmer and matte|Waterproof eyeliner pen, black|Magnetic false eyelashes kit with applicator
skincare ; 330499 ; pcs ; 9 ; 0.55 ; 60-300 ; 16 ;  ;  ;  ;  ; Hyaluronic acid face serum 30 ml|Vitamin C brightening face cream 50 g|Collagen sheet face masks, 10 pcs|Sunscreen SPF 50 face lotion 60 ml
nail ; 330430 ; set ; 8 ; 0.5 ; 50-300 ; 10 ;  ;  ;  ;  ; Gel nail polish set 12 colours with UV base and top coat|Press-on nails 24 pcs, almond shape, {c}
shampoo ; 330510 ; pcs ; 8 ; 0.4 ; 250-550 ; 5 ;  ;  ;  ;  ; Argan oil shampoo 500 ml, sulphate free|Rosemary hair growth oil 60 ml
toothbrush ; 850980 ; pcs ; 17 ; 0.5 ; 150-400 ; 5 ;  ;  ;  ;  ; Sonic electric toothbrush with 8 brush heads, {c}|Water flosser, cordless, 300 ml tank
jewellery ; 711719 ; pcs ; 4 ; 0.6 ; 5-60 ; 26 ;  ; 18K gold plated|silver plated|stainless steel|titanium steel ;  ;  ; {m} layered necklace with pendant|{m} hoop earrings, hypoallergenic|{m} men's chain bracelet|{m} adjustable ring set, 10 pcs
silver-jewellery ; 711311 ; pcs ; 19 ; 0.5 ; 5-40 ; 5 ;  ;  ;  ;  ; 925 sterling silver charm bracelet|925 silver moissanite stud earrings|Sterling silver heart pendant necklace
gold-jewellery ; 711319 ; pcs ; 380 ; 0.5 ; 3-25 ; 2.5 ;  ;  ;  ;  ; 18K solid gold chain necklace 45 cm|14K gold diamond stud earrings 0.25 ct
watch ; 910212 ; pcs ; 16 ; 0.6 ; 60-180 ; 10 ;  ; stainless steel|leather strap|silicone strap|mesh band ;  ;  ; Men's quartz wrist watch, {m}, {c} dial|Women's minimalist quartz watch, {m}|Digital sports watch, waterproof 50 m, {c}
automatic-watch ; 910221 ; pcs ; 85 ; 0.5 ; 120-220 ; 3 ;  ;  ;  ; Pagani Design|San Martin ; Men's automatic mechanical watch, sapphire glass, {c} dial|Skeleton automatic watch, stainless steel
sunglasses ; 900410 ; pcs ; 7 ; 0.55 ; 30-90 ; 12 ;  ;  ;  ;  ; Polarized {c} sunglasses, UV400, square frame|Retro round sunglasses, {c} metal frame
storage-box ; 392410 ; set ; 11 ; 0.5 ; 200-900 ; 14 ;  ;  ;  ;  ; Silicone food storage bags, reusable, 10 pcs|Plastic kitchen organiser set, {c}, 6 pcs|Collapsible silicone lunch box, {c}
bedding ; 630231 ; set ; 26 ; 0.45 ; 900-2200 ; 8 ;  ;  ; 135x200 cm|155x220 cm|200x200 cm ;  ; {c} cotton duvet cover set {v} with pillowcases|Cotton bed sheet set, {c}, {v}
towels ; 630260 ; set ; 16 ; 0.4 ; 500-1500 ; 6 ;  ;  ;  ;  ; Cotton bath towel set of 4, {c}|Quick dry {c} microfibre beach towel
curtains ; 630392 ; set ; 19 ; 0.45 ; 700-1800 ; 5 ;  ;  ;  ;  ; Blackout curtains 2 panels, {c}, 140x245 cm|Sheer voile curtains, {c}, 2 panels
cushion-cover ; 630492 ; set ; 10 ; 0.45 ; 200-500 ; 6 ;  ;  ;  ;  ; Cushion covers 4 pack, {c} velvet, 45x45 cm|Boho linen cushion covers, 2 pcs
tableware ; 691110 ; set ; 22 ; 0.45 ; 1200-3500 ; 4 ;  ;  ;  ;  ; Porcelain dinner set 12 pcs, {c}|Ceramic coffee mugs set of 4, 350 ml
kitchen-steel ; 732393 ; pcs ; 10 ; 0.5 ; 150-700 ; 8 ;  ;  ;  ;  ; Stainless steel insulated water bottle 750 ml, {c}|Stainless steel vegetable slicer, 5 blades|Stainless steel spice rack, wall mounted
glassware ; 701337 ; set ; 14 ; 0.4 ; 600-1600 ; 3 ;  ;  ;  ;  ; Drinking glasses set of 6, 350 ml|Glass coffee cups with bamboo lids, 4 pcs
wall-art ; 491191 ; set ; 8 ; 0.5 ; 80-300 ; 5 ;  ;  ;  ;  ; Botanical art print set of 3, unframed, 30x40 cm|Abstract poster set, 6 pcs, A4
artificial-flowers ; 670290 ; set ; 9 ; 0.5 ; 100-400 ; 5 ;  ;  ;  ;  ; Artificial eucalyptus stems, 10 pcs|Faux peony bouquet, {c}, silk
pet-supplies ; 420100 ; pcs ; 8 ; 0.5 ; 80-400 ; 8 ;  ;  ;  ;  ; Dog harness no pull, {c}, size {s}|Reflective cat collar with bell, {c}|Retractable dog leash 5 m
yoga ; 950691 ; pcs ; 14 ; 0.5 ; 300-1500 ; 8 ;  ;  ;  ;  ; Resistance bands set 5 levels, latex|Non-slip yoga mat 6 mm, TPE, {c}|Adjustable skipping rope with counter
fishing ; 950720 ; set ; 9 ; 0.55 ; 50-400 ; 5 ;  ;  ;  ;  ; Fishing hooks assortment 500 pcs, carbon steel|Soft fishing lures set 50 pcs
cycling ; 871499 ; pcs ; 11 ; 0.55 ; 100-600 ; 6 ;  ;  ;  ;  ; Bike LED light set front and rear, USB rechargeable|Bicycle saddle, memory foam, {c}|Bicycle chain 116 links, 9 speed
camping ; 630622 ; pcs ; 35 ; 0.5 ; 1500-3500 ; 3 ;  ;  ;  ;  ; 2-person camping tent, waterproof, {c}|Pop-up beach tent with UV protection
ball ; 950662 ; pcs ; 13 ; 0.4 ; 300-600 ; 3 ;  ;  ;  ;  ; Football size 5, match ball, {c}|Volleyball soft touch, size 5
book ; 490199 ; pcs ; 12 ; 0.45 ; 250-800 ; 5 ;  ;  ;  ;  ; Paperback novel, English edition|Manga volume, paperback, English translation|Hardcover cookbook, 240 pages
notebook ; 482010 ; set ; 7 ; 0.45 ; 200-600 ; 6 ;  ;  ;  ;  ; A5 dotted bullet journal, hardcover, {c}|Spiral notebooks 4 pack, A5, lined
pens ; 960810 ; set ; 6 ; 0.45 ; 80-300 ; 6 ;  ;  ;  ;  ; Gel pens set 24 colours, 0.5 mm|Dual tip brush markers, 48 colours
supplement ; 210690 ; pcs ; 14 ; 0.45 ; 100-600 ; 5 ;  ;  ;  ;  ; Vitamin D3 and K2 capsules, 120 count|Collagen peptides powder 300 g, unflavoured|Magnesium glycinate tablets, 180 count
car-parts ; 870899 ; pcs ; 18 ; 0.6 ; 200-2500 ; 6 ;  ;  ;  ;  ; Car seat gap filler organiser, {c} leather|Steering wheel cover, {c} microfibre leather|Stainless steel exhaust tip, 63 mm|Car door sill protector strips, 4 pcs
car-lights ; 851220 ; set ; 16 ; 0.5 ; 100-500 ; 5 ;  ;  ;  ;  ; H7 LED headlight bulbs 2 pcs, 6000K|LED interior car lights kit, RGB
car-brakes ; 870830 ; set ; 32 ; 0.5 ; 1200-3000 ; 2 ;  ;  ;  ;  ; Front brake pads set, ceramic, for VW Golf VII|Rear brake discs pair, 272 mm
hand-tools ; 820540 ; set ; 14 ; 0.55 ; 200-1500 ; 7 ;  ;  ;  ;  ; Precision screwdriver set 120 in 1, magnetic|Ratchet screwdriver set with bits
pliers ; 820320 ; set ; 12 ; 0.5 ; 300-900 ; 4 ;  ;  ;  ;  ; Pliers set 3 pcs, chrome vanadium|Wire stripper crimping tool, self-adjusting
power-drill ; 846721 ; pcs ; 38 ; 0.5 ; 1000-2200 ; 4 ;  ;  ;  ;  ; Cordless drill driver 21V with 2 batteries and case|Cordless impact driver 18V
craft ; 560900 ; set ; 8 ; 0.5 ; 100-500 ; 4 ;  ;  ;  ;  ; Macrame cotton cord 3 mm x 200 m, {c}|Embroidery starter kit with hoop and threads
phone-parts ; 851779 ; pcs ; 12 ; 0.6 ; 20-120 ; 4 ;  ;  ; iPhone 11|iPhone 12|Galaxy S21|Redmi Note 10 ;  ; Replacement OLED display assembly for {v}|Replacement charging port flex cable for {v}`;

/** Everyday catalogue: what most parcels contain (about 90 templates across the e-commerce HS chapters). */
export const CATALOGUE: readonly ProductTemplate[] = ROWS.trim().split('\n').map(parseTemplate);
