/** The screening tables, as SQLite and PostgreSQL migrations (version 70; registered in the store migration lists). */

/** Migration version of the screening tables. */
export const screeningMigrationVersion = 70;

// Images refer to consignments by id without a foreign key: the screening store may run on its own
// connection (and, for an in-memory SQLite store, its own database); the service checks the id.
export const screeningSqliteSql = `
CREATE TABLE screening_images (
  id TEXT PRIMARY KEY,
  consignment_id TEXT NOT NULL,
  format TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  byte_length INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  scanner TEXT,
  received_at TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  model_id TEXT,
  model_version TEXT,
  screened_at TEXT,
  bytes BLOB NOT NULL,
  UNIQUE (consignment_id, sha256)
);
CREATE INDEX screening_images_consignment ON screening_images (consignment_id, received_at, id);
CREATE TABLE screening_detections (
  id TEXT PRIMARY KEY,
  image_id TEXT NOT NULL REFERENCES screening_images (id),
  consignment_id TEXT NOT NULL,
  class TEXT NOT NULL,
  score REAL NOT NULL,
  x0 INTEGER NOT NULL, y0 INTEGER NOT NULL, x1 INTEGER NOT NULL, y1 INTEGER NOT NULL
);
CREATE INDEX screening_detections_image ON screening_detections (image_id);
CREATE TABLE screening_labels (
  id TEXT PRIMARY KEY,
  image_id TEXT NOT NULL REFERENCES screening_images (id),
  consignment_id TEXT NOT NULL,
  detection_id TEXT REFERENCES screening_detections (id),
  class TEXT NOT NULL,
  verdict TEXT NOT NULL,
  x0 INTEGER NOT NULL, y0 INTEGER NOT NULL, x1 INTEGER NOT NULL, y1 INTEGER NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT
);
CREATE INDEX screening_labels_image ON screening_labels (image_id);
CREATE INDEX screening_labels_detection ON screening_labels (detection_id);
`;

export const screeningPgSql = `
CREATE TABLE screening_images (
  id text COLLATE "C" PRIMARY KEY,
  consignment_id text COLLATE "C" NOT NULL,
  format text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  byte_length integer NOT NULL,
  sha256 text NOT NULL,
  scanner text,
  received_at text COLLATE "C" NOT NULL,
  submitted_by text NOT NULL,
  model_id text,
  model_version text,
  screened_at text,
  bytes bytea NOT NULL,
  UNIQUE (consignment_id, sha256)
);
CREATE INDEX screening_images_consignment ON screening_images (consignment_id, received_at, id);
CREATE TABLE screening_detections (
  id text COLLATE "C" PRIMARY KEY,
  image_id text COLLATE "C" NOT NULL REFERENCES screening_images (id),
  consignment_id text COLLATE "C" NOT NULL,
  class text NOT NULL,
  score double precision NOT NULL,
  x0 integer NOT NULL, y0 integer NOT NULL, x1 integer NOT NULL, y1 integer NOT NULL
);
CREATE INDEX screening_detections_image ON screening_detections (image_id);
CREATE TABLE screening_labels (
  id text COLLATE "C" PRIMARY KEY,
  image_id text COLLATE "C" NOT NULL REFERENCES screening_images (id),
  consignment_id text COLLATE "C" NOT NULL,
  detection_id text COLLATE "C" REFERENCES screening_detections (id),
  class text NOT NULL,
  verdict text NOT NULL,
  x0 integer NOT NULL, y0 integer NOT NULL, x1 integer NOT NULL, y1 integer NOT NULL,
  actor text NOT NULL,
  at text NOT NULL,
  note text
);
CREATE INDEX screening_labels_image ON screening_labels (image_id);
CREATE INDEX screening_labels_detection ON screening_labels (detection_id);
`;
