-- Seeding a table this migration creates: nobody else can have written to it yet.
CREATE TABLE `plan_tiers` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `name` VARCHAR(20) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO `plan_tiers` (`name`) VALUES ('free'), ('pro');
