-- café ☕ and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢
SELECT 1;
SELECT * FORM plans;
