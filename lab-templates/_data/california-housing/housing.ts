/** One row of the California housing data (one census block group, 1990). */
export interface HousingRow {
  longitude: number;
  latitude: number;
  housing_median_age: number;
  total_rooms: number;
  /** Missing (null) in 207 rows. */
  total_bedrooms: number | null;
  population: number;
  households: number;
  /** In tens of thousands of dollars. */
  median_income: number;
  /** The label, in dollars (capped at 500,001). */
  median_house_value: number;
  ocean_proximity: '<1H OCEAN' | 'INLAND' | 'NEAR OCEAN' | 'NEAR BAY' | 'ISLAND';
}
