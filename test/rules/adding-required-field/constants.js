// The project's constants module the migrations import (as Tamanu's import @tamanu/constants): objects of literals.
const LOCATION_BOOKABLE_VIEW = {
  NO: 'no',
  DAILY: 'daily',
  WEEKLY: 'weekly',
};

const VISIBILITY_STATUSES = {
  CURRENT: 'current',
  HISTORICAL: 'historical',
};

module.exports = { LOCATION_BOOKABLE_VIEW, VISIBILITY_STATUSES };
