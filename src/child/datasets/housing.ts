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

const NUMERIC = [
  'longitude',
  'latitude',
  'housing_median_age',
  'total_rooms',
  'total_bedrooms',
  'population',
  'households',
  'median_income',
  'median_house_value',
] as const;

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
  const numericIndex = NUMERIC.map(index);
  const oceanIndex = index('ocean_proximity');
  const rows: HousingRow[] = [];
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    const row: Record<string, number | string | null> = {};
    NUMERIC.forEach((name, k) => {
      const cell = cells[numericIndex[k]];
      const value = cell === '' ? null : Number(cell);
      if (value !== null && !Number.isFinite(value)) throw new Error(`housing data: line ${r + 1}: ${name} is "${cell}"`);
      if (value === null && name !== 'total_bedrooms') throw new Error(`housing data: line ${r + 1}: ${name} is missing`);
      row[name] = value;
    });
    row.ocean_proximity = cells[oceanIndex];
    rows.push(row as unknown as HousingRow);
  }
  return rows;
}

export function loadHousing(installRoot: string): HousingRow[] {
  const data = fs.readFileSync(housingCsvPath(installRoot));
  // The labels every grade is measured against: exactly the course's, or nothing.
  checkCourseFile('_data/california-housing/california_housing.csv', data);
  return parseHousingCsv(data.toString('utf8'));
}
