export {runTour, type TourOptions, type TourSummary} from './run-tour.js';
export {TOUR_STEPS} from './steps/index.js';
export type {TourStep, TourContext, TourEvent, TourCommandResult} from './types.js';
