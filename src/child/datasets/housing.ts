// The California housing data set, parsed from the CSV shipped with the course.
import * as fs from 'fs';
import * as path from 'path';
import { checkCourseFile } from '../../core/lab/courseDigests';

export const HOUSING_LABEL = 'median_house_value';

export interface HousingRow {
  longitude: number;
  latitude: number;
  housing_median_age: number;
  total_rooms: number;
  total_bedrooms: number | null;
  population: number;
  households: number;
  median_income: number;
  median_house_value: number;
  ocean_proximity: string;
}

/** The numeric inputs of a row: every column but the label and ocean_proximity. */
export const HOUSING_NUMERIC_FEATURES = [
  'longitude',
  'latitude',
  'housing_median_age',
  'total_rooms',
  'total_bedrooms',
  'population',
  'households',
  'median_income',
] as const;

const NUMERIC = [...HOUSING_NUMERIC_FEATURES, HOUSING_LABEL] as const;

export function housingCsvPath(installRoot: string): string {
  return path.join(installRoot, 'lab-templates', '_data', 'california-housing', 'california_housing.csv');
}

export function parseHousingCsv(text: string): HousingRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const index = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`housing data: column "${name}" is missing`);
    return i;
  };
  const [lon, lat, age, rooms, bedrooms, population, households, income, value] = NUMERIC.map(index);
  const oceanIndex = index('ocean_proximity');
  const rows = new Array<HousingRow>(lines.length - 1);
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    const num = (k: number, name: string): number => {
      const cell = cells[k];
      const v = cell === '' || cell === undefined ? NaN : Number(cell);
      if (!Number.isFinite(v)) throw new Error(`housing data: line ${r + 1}: ${name} is ${cell === '' || cell === undefined ? 'missing' : `"${cell}"`}`);
      return v;
    };
    // One object literal per row: every row has the same shape, which keeps reading them fast.
    rows[r - 1] = {
      longitude: num(lon, 'longitude'),
      latitude: num(lat, 'latitude'),
      housing_median_age: num(age, 'housing_median_age'),
      total_rooms: num(rooms, 'total_rooms'),
      total_bedrooms: cells[bedrooms] === '' ? null : num(bedrooms, 'total_bedrooms'),
      population: num(population, 'population'),
      households: num(households, 'households'),
      median_income: num(income, 'median_income'),
      median_house_value: num(value, 'median_house_value'),
      ocean_proximity: cells[oceanIndex] as HousingRow['ocean_proximity'],
    };
  }
  return rows;
}

export function loadHousing(installRoot: string): HousingRow[] {
  const data = fs.readFileSync(housingCsvPath(installRoot));
  // The labels every grade is measured against: exactly the course's, or nothing.
  checkCourseFile('_data/california-housing/california_housing.csv', data);
  return parseHousingCsv(data.toString('utf8'));
}
